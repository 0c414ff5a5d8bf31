import { MeshApiObject } from '../../imports/mesh-api-object.js';
import type { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { createWorkload, renderPodTemplate } from './pod-template.js';
import type { ProxyOptions } from './options/sidecar-options.js';
import type { ContainerOptions } from './options/workload-options.js';
import { renderDisruptionBudget, type DisruptionBudget } from './scaling/autoscaling.js';
import type { KubernetesApiRule } from './security/kubernetes-api-access.js';
import type { Construct } from 'constructs';
import { IdentifiedWorkload, type IdentifiedWorkloadProps } from './identified-workload.js';
import { constructProps } from './validation/check-props.js';

export interface MeshWorkerProps extends IdentifiedWorkloadProps, ContainerOptions {
  /** Container image. */
  readonly image: string;
  /** @default - the mesh's defaults */
  readonly proxy?: ProxyOptions;
  /** @default - none */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Calls to the Kubernetes API: a Role and RoleBinding for the ServiceAccount.
   * @default - none
   */
  readonly kubernetesApiAccess?: readonly KubernetesApiRule[];
}

/**
 * A meshed workload that nobody calls (a scheduler, a queue consumer): a ServiceAccount and a
 * Deployment, without a Service. It calls others (`connectTo`) under its own identity.
 */
export class MeshWorker extends IdentifiedWorkload {
  public readonly deployment: ApiObject;

  public constructor(scope: Construct, id: string, props: MeshWorkerProps) {
    super(scope, id, constructProps(scope, id, props, 'MeshWorkerProps'));
    const path = this.node.path;
    const labels = { app: this.name };
    const metadata = { name: this.name, namespace: this.namespace };
    const template = renderPodTemplate({ ...props, labels, serviceAccountName: this.serviceAccountName, containerName: this.name, sidecars: this.sidecars, usesKubernetesApi: props.kubernetesApiAccess !== undefined }, path);
    this.deployment = createWorkload(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...metadata, labels },
      spec: k8s.toJson_DeploymentSpec({ replicas: props.replicas ?? 1, selector: { matchLabels: labels }, template }),
      templatePointer: '/spec/template',
      template,
      sidecars: this.sidecars,
    });
    if (props.disruptionBudget) {
      new MeshApiObject(this, 'PodDisruptionBudget', renderDisruptionBudget(props.disruptionBudget, labels, metadata, { construct: path }));
    }
    if (props.kubernetesApiAccess) this.identity.grantKubernetesApi(this, props.kubernetesApiAccess);
  }
}
