import { parseYamlMap } from './parse-manifests.js';

/** One network's endpoints: the pods of a service registry (a cluster), or of an address range. */
export interface MeshNetworkEndpoint {
  /**
   * A service registry: `Kubernetes`, or the cluster ID of a remote-cluster Secret.
   * @default - none: `fromCidr` is given
   */
  readonly fromRegistry?: string;
  /**
   * An address range whose workloads are in this network.
   * @default - none: `fromRegistry` is given
   */
  readonly fromCidr?: string;
}

/** One network of a multi-network mesh. */
export interface MeshNetwork {
  /**
   * Where its workloads are.
   * @default - none
   */
  readonly endpoints?: readonly MeshNetworkEndpoint[];
  /**
   * The gateways other networks reach it through, as Istio's MeshNetworks writes them.
   * @default - none
   */
  readonly gateways?: readonly Readonly<Record<string, unknown>>[];
}

/** Istio's MeshNetworks: which clusters and address ranges form each network of a multi-network mesh. */
export interface MeshNetworks {
  /**
   * The networks by name.
   * @default - none
   */
  readonly networks?: Readonly<Record<string, MeshNetwork>>;
}

/** Parses a mesh networks file: MeshNetworks itself, or the `istio` ConfigMap holding it under `data.meshNetworks`. */
export function parseMeshNetworks(text: string, source = 'mesh networks'): MeshNetworks {
  const value = parseYamlMap(text, source, { what: 'MeshNetworks', example: 'networks: { network1: { endpoints: [{ fromRegistry: Kubernetes }] } }' });
  const configMap = value as { kind?: string; data?: { meshNetworks?: string } };
  if (configMap.kind === 'ConfigMap') return parseMeshNetworks(configMap.data?.meshNetworks ?? '', `${source} data.meshNetworks`);
  return value as MeshNetworks;
}
