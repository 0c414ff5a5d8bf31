// Follows Istio's pkg/config/analysis/analyzers/injection/injection-image.go.
import { type KubeObject, nameOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { ProxyImageTypeResolver } from '../../resources/proxy-image-type.js';
import { KINDS } from '../../resources/resource-index.js';

const INJECTOR_CONFIG_MAP = 'istio-sidecar-injector';

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
    const images = new Map<string, string>();
    for (const configMap of context.index.ofKind(KINDS.ConfigMap)) {
      if (nameOf(configMap).startsWith(INJECTOR_CONFIG_MAP)) images.set(nameOf(configMap), proxyImageOf(configMap));
    }
    if (images.size === 0) return;
    const revisions = new Map<string, string>();
    const namespaces = new Map<string, KubeObject>();
    for (const namespace of context.index.ofKind(KINDS.Namespace)) {
      namespaces.set(nameOf(namespace), namespace);
      const labels = namespace.metadata?.labels ?? {};
      if (labels['istio.io/rev'] !== undefined) revisions.set(nameOf(namespace), String(labels['istio.io/rev']));
      else if (labels['istio-injection'] === 'enabled') revisions.set(nameOf(namespace), 'default');
    }
    const resolver = new ProxyImageTypeResolver(context.index, context.meshConfig);
    const mismatched = new Map<string, string[]>();
    // Pods only: a template's proxy container, if any, is filled in when pods are injected.
    for (const pod of context.index.pods.filter((view) => !view.fromTemplate)) {
      const revision = revisions.get(pod.namespace);
      if (revision === undefined || pod.annotations['sidecar.istio.io/proxyImage']) continue;
      const image = images.get(revision === '' || revision === 'default' ? INJECTOR_CONFIG_MAP : `${INJECTOR_CONFIG_MAP}-${revision}`);
      if (image === undefined) continue;
      const variant = resolver.imageType(pod);
      const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
      for (const container of containers) {
        if (container?.name !== 'istio-proxy') continue;
        if (container.image !== image && container.image !== `${image}-${variant}`) {
          mismatched.set(pod.namespace, [...(mismatched.get(pod.namespace) ?? []), pod.name]);
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
  let values: any;
  try {
    values = JSON.parse(String((configMap.data as Record<string, unknown> | undefined)?.values ?? ''));
  } catch {
    return '';
  }
  const global = values?.global ?? {};
  const image = String(global.proxy?.image ?? '');
  return image.includes('/') ? image : `${global.hub ?? ''}/${image}:${global.tag ?? ''}`;
}

