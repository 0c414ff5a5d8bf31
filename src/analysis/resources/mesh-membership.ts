import { INJECTION_LABEL, REVISION_LABEL } from './injector-config.js';
import type { PodView, ResourceIndex } from './resource-index.js';

/**
 * True when Istio injects (or has injected) a sidecar into this pod, as far as the manifests tell:
 * util.inMesh's rules, except that a namespace bound to a revision (`istio.io/rev`) counts as
 * injected too, which Istio's helper leaves out but its injector does.
 */
export function podInMesh(pod: PodView, context: { readonly index: ResourceIndex }): boolean {
  // A native sidecar counts for workloads too (Istio's helper reads only a Deployment's containers).
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  // As hasIstioProxy: the first container named istio-proxy, with an image.
  const proxy = containers.find((c: any) => c?.name === 'istio-proxy');
  if (proxy?.image) return true;
  const label = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'];
  // Exactly "true", as Istio's inMesh and the injector's webhook selector compare it.
  if (label !== undefined) return String(label) === 'true';
  const namespace = context.index.namespaceLabels(pod.namespace);
  if (!namespace) return false;
  return namespace[INJECTION_LABEL] === 'enabled' || (namespace[REVISION_LABEL] !== undefined && namespace[INJECTION_LABEL] !== 'disabled');
}

/** A pod whose traffic ztunnel redirects (the annotation the CNI agent sets), as util.PodInAmbientMode reads it. */
export function podInAmbientMode(pod: PodView): boolean {
  return pod.annotations['ambient.istio.io/redirection'] === 'enabled';
}
