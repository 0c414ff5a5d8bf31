import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { assertOptionalOneOf, MeshformError, type Labels } from '../core/index.js';
import type { Principal } from './workload-identity.js';
import { createWorkload, renderPodTemplate, type SidecarSettings } from './pod-template.js';

/** A gateway's own proxy pods, run from Istio's `gateway` injection template. */
export interface GatewayDeploymentOptions {
  /**
   * Gateway pods; at least 1.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * How the gateway is reached from outside the cluster.
   * @default 'LoadBalancer'
   */
  readonly serviceType?: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
}

/**
 * Deploys the proxies of a gateway: ServiceAccount, a Deployment whose single `istio-proxy`
 * container the injector fills from its `gateway` template (`image: auto`), and a Service that
 * exposes the listener ports. Returns the identity of the pods.
 */
export function deployGateway(
  scope: Construct,
  props: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Labels;
    readonly ports: readonly { readonly name: string; readonly number: number }[];
    readonly options: GatewayDeploymentOptions;
    readonly sidecars: SidecarSettings;
  },
): Principal {
  const { name, namespace, labels } = props;
  const replicas = props.options.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new MeshformError(`replicas is ${replicas}`, {
      construct: scope.node.path,
      field: 'deployment.replicas',
      fix: 'A gateway without pods serves none of its hosts: give a whole number ≥ 1, or leave deployment out to use the installed gateway.',
    });
  }
  // The gateway template makes the pod the proxy: injection can be manual or automatic, never off.
  const sidecars: SidecarSettings = { ...props.sidecars, mode: props.sidecars.mode === 'manual' ? 'manual' : 'auto' };
  new k8s.KubeServiceAccount(scope, 'ServiceAccount', { metadata: { name, namespace, labels: { ...labels } } });
  const template = renderPodTemplate(
    {
      labels,
      serviceAccountName: name,
      containerName: 'istio-proxy',
      image: 'auto',
      replicas,
      podAnnotations: { 'inject.istio.io/templates': 'gateway' },
      // Merged over the gateway template's user and group, as Istio's gateway chart does.
      securityContext: { privileged: false, readOnlyRootFilesystem: true },
      sidecars,
    },
    `${scope.node.path}`,
  );
  createWorkload(scope, 'Deployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { ...labels } },
    spec: k8s.toJson_DeploymentSpec({ replicas, selector: { matchLabels: { ...labels } }, template }),
    templatePointer: '/spec/template',
    template,
    sidecars,
  });
  new k8s.KubeService(scope, 'Service', {
    metadata: { name, namespace, labels: { ...labels } },
    spec: {
      type: assertOptionalOneOf(props.options.serviceType, ['LoadBalancer', 'NodePort', 'ClusterIP'], { construct: scope.node.path, field: 'deployment.serviceType' }) ?? 'LoadBalancer',
      selector: { ...labels },
      ports: props.ports.map((port) => ({
        name: port.name,
        port: port.number,
        targetPort: k8s.IntOrString.fromNumber(port.number),
        protocol: 'TCP',
      })),
    },
  });
  return { serviceAccountName: name, namespace };
}
