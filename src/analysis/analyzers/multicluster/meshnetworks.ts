// Follows Istio's pkg/config/analysis/analyzers/multicluster/meshnetworks.go.
import { compareCodeUnits, type KubeObject } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/** The registries istiod always has; remote clusters add theirs through multicluster Secrets. */
const BUILT_IN_REGISTRIES = ['Mock', 'Kubernetes', 'External'];
const MULTICLUSTER_SECRET_LABEL = 'istio/multiCluster';

/**
 * Mesh networks whose endpoints name a service registry istiod does not know (IST0126): neither
 * built in nor a cluster of a remote-cluster Secret (`istio/multiCluster: "true"`, one key per cluster).
 */
export const meshNetworksAnalyzer: Analyzer = {
  name: 'meshnetworks.MeshNetworksAnalyzer',
  codes: ['IST0126'],
  goFile: 'multicluster/meshnetworks.go',
  analyze(context) {
    const networks = context.meshNetworks?.networks;
    if (!networks || typeof networks !== 'object') return;
    const registries = new Set(BUILT_IN_REGISTRIES);
    for (const secret of context.index.ofKind(KINDS.Secret)) {
      if (String(secret.metadata?.labels?.[MULTICLUSTER_SECRET_LABEL] ?? '') !== 'true') continue;
      for (const cluster of Object.keys({ ...(secret.data as object | undefined), ...(secret.stringData as object | undefined) })) registries.add(cluster);
    }
    // Istio reports on the MeshNetworks resource it builds from the istio ConfigMap.
    const origin: KubeObject = { apiVersion: 'v1alpha1', kind: 'MeshNetworks', metadata: { name: 'meshnetworks', namespace: context.rootNamespace } };
    for (const [name, network] of Object.entries(networks).sort(([a], [b]) => compareCodeUnits(a, b))) {
      (Array.isArray(network?.endpoints) ? network.endpoints : []).forEach((endpoint, index) => {
        const registry = endpoint?.fromRegistry;
        if (typeof registry === 'string' && !registries.has(registry)) {
          context.report('UnknownMeshNetworksServiceRegistry', origin, [registry, name], `networks.${name}.endpoints[${index}]`);
        }
      });
    }
  },
};
