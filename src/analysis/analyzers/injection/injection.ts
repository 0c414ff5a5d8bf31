// Follows Istio's pkg/config/analysis/analyzers/injection/injection.go.
import type { Analyzer } from '../../context.js';
import { KUBERNETES_SYSTEM_NAMESPACES, nameOf, namespaceOf } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * Namespaces not labelled for injection (IST0102) or labelled twice (IST0123), and pods of
 * injected namespaces that run without the proxy (IST0103).
 */
export const injectionAnalyzer: Analyzer = {
  name: 'injection.Analyzer',
  codes: ['IST0102', 'IST0103', 'IST0123'],
  analyze(context) {
    const injected = new Set<string>();
    for (const namespace of context.index.ofKind(KINDS.Namespace)) {
      const name = nameOf(namespace);
      const labels = namespace.metadata?.labels ?? {};
      if (KUBERNETES_SYSTEM_NAMESPACES.includes(name) || labels['istio.io/dataplane-mode'] === 'ambient') continue;
      // An empty label value counts as no label, as in Istio.
      const legacy = labels['istio-injection'] || undefined;
      const revision = labels['istio.io/rev'];
      if (legacy === undefined && revision === undefined) {
        context.report('NamespaceNotInjected', namespace, [name, name], 'metadata.labels');
        continue;
      }
      if (revision !== undefined && legacy !== undefined) {
        context.report('NamespaceMultipleInjectionLabels', namespace, [['istio-injection', 'istio.io/rev']], 'metadata.labels');
        continue;
      }
      if (revision !== undefined || legacy === 'enabled') injected.add(name);
    }
    for (const pod of context.index.ofKind(KINDS.Pod)) {
      if (!injected.has(namespaceOf(pod))) continue;
      const inject = pod.metadata?.labels?.['sidecar.istio.io/inject'] ?? pod.metadata?.annotations?.['sidecar.istio.io/inject'];
      if (inject?.toLowerCase() === 'false' || pod.spec?.hostNetwork) continue;
      const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
      if (!containers.some((container: any) => container?.name === 'istio-proxy')) {
        context.report('PodMissingProxy', pod, [`${namespaceOf(pod)}/${nameOf(pod)}`]);
      }
    }
  },
};
