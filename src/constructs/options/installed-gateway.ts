import type { IConstruct } from 'constructs';
import { assertDnsLabel, type KubeObject, type Labels, MeshformError } from '../../core/index.js';

/**
 * A shared ingress gateway installed outside the program's constructs (by `IstioInstall`, or
 * Istio's Helm `gateway` chart): what a `MeshGateway` without its own `deployment` is served by.
 */
export interface InstalledIngressGateway {
  /** The ServiceAccount of its pods, which routed workloads admit. */
  readonly identity: { readonly serviceAccountName: string; readonly namespace: string };
  /** Labels of its pods, which a Gateway's selector matches. */
  readonly podLabels: Labels;
}

// A cdk8s context key: set on a scope, it holds for every construct below it.
const CONTEXT_KEY = 'meshform:installed-ingress-gateway';

/** Records the installed gateway for every construct under `scope`. */
export function declareInstalledGateway(scope: IConstruct, gateway: InstalledIngressGateway): void {
  const location = { construct: scope.node.path || '(app)', field: 'installedGateway' };
  assertDnsLabel(gateway.identity.serviceAccountName, { ...location, field: 'installedGateway.identity.serviceAccountName' });
  assertDnsLabel(gateway.identity.namespace, { ...location, field: 'installedGateway.identity.namespace' });
  if (Object.keys(gateway.podLabels ?? {}).length === 0) {
    throw new MeshformError('the installed gateway has no pod labels', { ...location, field: 'installedGateway.podLabels', fix: 'Give the labels of its pods, e.g. { istio: "ingressgateway" }.' });
  }
  scope.node.setContext(CONTEXT_KEY, { identity: { ...gateway.identity }, podLabels: { ...gateway.podLabels } });
}

/** The installed gateway declared for `scope`, if any. */
export function installedGatewayOf(scope: IConstruct): InstalledIngressGateway | undefined {
  return scope.node.tryGetContext(CONTEXT_KEY) as InstalledIngressGateway | undefined;
}

/**
 * A pod standing for the installed gateway's, for the synth-time analysis: its pods are not in
 * the output, yet Gateways select them and their namespace is where TLS credentials are read.
 */
export function installedGatewayPod({ identity, podLabels }: InstalledIngressGateway): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${identity.serviceAccountName}-installed`, namespace: identity.namespace, labels: { ...podLabels } },
    spec: { serviceAccountName: identity.serviceAccountName, containers: [{ name: 'istio-proxy' }] },
  };
}
