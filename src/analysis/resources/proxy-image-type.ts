// Follows Istio's pkg/config/analysis/analyzers/util/proxyconfig.go (EffectiveProxyConfigResolver.ImageType).
import { parse } from 'yaml';
import { compareCodeUnits, type MeshConfig, namespaceOf, nameOf, rootNamespaceOf } from '../../core/index.js';
import { KINDS, type PodView, type ResourceIndex } from './resource-index.js';

const imageTypeOf = (config: any): string => {
  const value = config?.image?.imageType;
  return typeof value === 'string' ? value : '';
};

/**
 * The proxy image variant (`distroless`, `debug`) a pod runs, from the most specific setting that
 * names one: mesh config, root-namespace ProxyConfig, namespace ProxyConfig, workload ProxyConfig,
 * then the pod's `proxy.istio.io/config`. `default` means none.
 */
export class ProxyImageTypeResolver {
  private readonly meshImageType: string;
  private readonly root: string;
  private readonly namespaced = new Map<string, string>();
  /** Workload ProxyConfigs by `namespace/name`, sorted, so that the last match wins the same way each time. */
  private readonly workloads: { key: string; labels: Record<string, unknown>; imageType: string }[] = [];

  public constructor(index: ResourceIndex, meshConfig: MeshConfig) {
    this.meshImageType = imageTypeOf(meshConfig.defaultConfig);
    const rootNamespace = rootNamespaceOf(meshConfig);
    let root = '';
    for (const proxyConfig of index.ofKind(KINDS.ProxyConfig)) {
      const namespace = namespaceOf(proxyConfig);
      const imageType = imageTypeOf(proxyConfig.spec);
      if (namespace === rootNamespace) root = imageType;
      else if (proxyConfig.spec?.selector === undefined || proxyConfig.spec?.selector === null) this.namespaced.set(namespace, imageType);
      else this.workloads.push({ key: `${namespace}/${nameOf(proxyConfig)}`, labels: proxyConfig.spec.selector.matchLabels ?? {}, imageType });
    }
    this.root = root;
    this.workloads.sort((a, b) => compareCodeUnits(a.key, b.key));
  }

  public imageType(pod: PodView): string {
    let variant = this.meshImageType;
    if (this.root) variant = this.root;
    const namespaced = this.namespaced.get(pod.namespace);
    if (namespaced) variant = namespaced;
    for (const workload of this.workloads) {
      // Istio compares the key's prefix with the namespace, so `shop` also takes `shop2/...`.
      if (!workload.key.startsWith(pod.namespace)) continue;
      const matches = Object.entries(workload.labels).every(([key, value]) => pod.labels[key] === value);
      if (matches && workload.imageType) variant = workload.imageType;
    }
    const annotation = pod.annotations['proxy.istio.io/config'];
    if (typeof annotation === 'string') {
      const fromPod = imageTypeOf(parsedOrUndefined(annotation));
      if (fromPod) variant = fromPod;
    }
    return variant === 'default' ? '' : variant;
  }
}

function parsedOrUndefined(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}
