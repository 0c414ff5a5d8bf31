import type { AnalysisContext } from '../context.js';
import type { PodView } from './resource-index.js';

/** True when Istio injects (or has injected) a sidecar into this pod, as far as the manifests tell. */
export function podInMesh(pod: PodView, context: Pick<AnalysisContext, 'index'>): boolean {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  if (containers.some((c: any) => c?.name === 'istio-proxy')) return true;
  const label = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'];
  if (label !== undefined) return label.toLowerCase() === 'true';
  const namespace = context.index.namespaceLabels(pod.namespace);
  if (!namespace) return false;
  return namespace['istio-injection'] === 'enabled' || (namespace['istio.io/rev'] !== undefined && namespace['istio-injection'] !== 'disabled');
}
