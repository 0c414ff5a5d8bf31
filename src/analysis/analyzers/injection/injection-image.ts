// Follows Istio's pkg/config/analysis/analyzers/injection/injection-image.go.
import { appendTo, type KubeObject, nameOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { INJECTION_LABEL, injectorConfigMapName, injectorConfigMaps, injectorValues, REVISION_LABEL } from '../../resources/injector-config.js';
import { ProxyImageTypeResolver } from '../../resources/proxy-image-type.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * Running pods whose proxy image is not the one their injector now configures (IST0158, per
 * namespace): the control plane was upgraded and the pods were not restarted. It needs the
 * injector's ConfigMap among the input, as exported from a cluster.
 */
export const injectionImageAnalyzer: Analyzer = {
  name: 'injection.ImageAnalyzer',
  codes: ['IST0158'],
  goFile: 'injection/injection-image.go',
  analyze(context) {
    // Keyed by name alone, as Istio does: one injector ConfigMap per revision.
    const images = new Map(injectorConfigMaps(context.index).map((configMap) => [nameOf(configMap), proxyImageOf(configMap)]));
    if (images.size === 0) return;
    const revisions = new Map<string, string>();
    const namespaces = new Map<string, KubeObject>();
    for (const namespace of context.index.ofKind(KINDS.Namespace)) {
      namespaces.set(nameOf(namespace), namespace);
      const labels = namespace.metadata?.labels ?? {};
      if (labels[REVISION_LABEL] !== undefined) revisions.set(nameOf(namespace), String(labels[REVISION_LABEL]));
      else if (labels[INJECTION_LABEL] === 'enabled') revisions.set(nameOf(namespace), 'default');
    }
    const resolver = new ProxyImageTypeResolver(context.index, context.meshConfig);
    const mismatched = new Map<string, string[]>();
    // Pods only: a template's proxy container, if any, is filled in when pods are injected.
    for (const pod of context.index.pods.filter((view) => !view.fromTemplate)) {
      const revision = revisions.get(pod.namespace);
      if (revision === undefined || pod.annotations['sidecar.istio.io/proxyImage']) continue;
      const image = images.get(injectorConfigMapName(revision));
      if (image === undefined) continue;
      const variant = resolver.imageType(pod);
      const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
      for (const container of containers) {
        if (container?.name !== 'istio-proxy') continue;
        if (container.image !== image && container.image !== `${image}-${variant}`) {
          appendTo(mismatched, pod.namespace, pod.name);
        }
      }
    }
    for (const [namespace, pods] of mismatched) {
      const object = namespaces.get(namespace);
      if (object) context.report('PodsIstioProxyImageMismatchInNamespace', object, [`[${[...pods].sort().join(' ')}]`]);
    }
  },
};

/** The proxy image the injector's values name: `global.proxy.image` when it has a registry, else `hub/image:tag`. */
function proxyImageOf(configMap: KubeObject): string {
  const values = injectorValues(configMap);
  if (values === undefined) return '';
  const global = values?.global ?? {};
  const image = String(global.proxy?.image ?? '');
  return image.includes('/') ? image : `${global.hub ?? ''}/${image}:${global.tag ?? ''}`;
}
