// Follows Istio's pkg/config/analysis/analyzers/injection/injection.go.
import type { AnalysisContext, Analyzer } from '../../context.js';
import { ISTIO_SYSTEM_NAMESPACE, nameOf, namespaceOf } from '../../../core/index.js';
import { DATAPLANE_MODE_LABEL, INJECTION_LABEL, injectorConfigMapName, injectorConfigMaps, injectorValues, REVISION_LABEL } from '../../resources/injector-config.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * Namespaces with more than one injection label (IST0123), not labelled for injection (IST0102, or
 * IST0148 when the injector injects every namespace by default), and pods of namespaces labelled
 * `istio-injection=enabled` that run without the proxy (IST0103). Ambient namespaces need no
 * injection. As in Istio, only the legacy label marks a namespace whose pods are checked.
 */
export const injectionAnalyzer: Analyzer = {
  name: 'injection.Analyzer',
  codes: ['IST0102', 'IST0103', 'IST0123', 'IST0148'],
  goFile: 'injection/injection.go',
  analyze(context) {
    const injected = new Set<string>();
    // Istio keeps the last injector config found across namespaces; so does this.
    let enableNamespacesByDefault = false;
    for (const namespace of context.index.ofKind(KINDS.Namespace)) {
      const name = nameOf(namespace);
      if (name === ISTIO_SYSTEM_NAMESPACE) continue;
      const labels: Record<string, string> = namespace.metadata?.labels ?? {};
      const hasLegacy = INJECTION_LABEL in labels;
      const legacy = hasLegacy ? String(labels[INJECTION_LABEL]) : '';
      const istioLabels = hasLegacy ? [`${INJECTION_LABEL}=${legacy}`] : [];
      for (const key of [REVISION_LABEL, DATAPLANE_MODE_LABEL]) {
        if (key in labels && (!hasLegacy || legacy === 'enabled')) istioLabels.push(`${key}=${labels[key]}`);
      }
      if (istioLabels.length > 1) context.report('NamespaceMultipleInjectionLabels', namespace, [istioLabels], 'metadata.labels');
      if (labels[DATAPLANE_MODE_LABEL] === 'ambient') continue;
      const config = injectorConfig(context, labels[REVISION_LABEL]);
      if (config !== undefined) enableNamespacesByDefault = config;
      if (legacy === '' && !(REVISION_LABEL in labels)) {
        if (enableNamespacesByDefault) context.report('NamespaceInjectionEnabledByDefault', namespace, [], 'metadata.name');
        else context.report('NamespaceNotInjected', namespace, [name, name], 'metadata.name');
        continue;
      }
      if (legacy === 'enabled') injected.add(name);
    }
    for (const pod of context.index.ofKind(KINDS.Pod)) {
      if (!injected.has(namespaceOf(pod))) continue;
      const inject = pod.metadata?.labels?.['sidecar.istio.io/inject'] ?? pod.metadata?.annotations?.['sidecar.istio.io/inject'];
      if (String(inject ?? '').toLowerCase() === 'false' || pod.spec?.hostNetwork) continue;
      const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
      if (!containers.some((container: any) => container?.name === 'istio-proxy' && container?.image)) {
        context.report('PodMissingProxy', pod, [`${namespaceOf(pod)}/${nameOf(pod)}`]);
      }
    }
  },
};

/**
 * `sidecarInjectorWebhook.enableNamespacesByDefault` of the injector ConfigMap of a revision, or
 * undefined when there is none; false when its values do not parse.
 */
function injectorConfig(context: AnalysisContext, revision: string | undefined): boolean | undefined {
  const name = injectorConfigMapName(revision);
  const configMap = injectorConfigMaps(context.index).find((object) => nameOf(object) === name);
  if (!configMap) return undefined;
  return injectorValues(configMap)?.sidecarInjectorWebhook?.enableNamespacesByDefault === true;
}
