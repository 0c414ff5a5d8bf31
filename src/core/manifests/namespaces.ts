/** The namespace Kubernetes puts an object without one in. */
export const DEFAULT_NAMESPACE = 'default';

/** Where Istio's control plane runs, and the mesh config's default root namespace. */
export const ISTIO_SYSTEM_NAMESPACE = 'istio-system';

/** Namespaces Istio never injects into nor analyzes for port names (Kubernetes' own and kind's). */
export const KUBERNETES_SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'];
