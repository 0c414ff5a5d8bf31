import { MeshApiObject } from '../../../imports/mesh-api-object.js';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { MeshformError } from '../../core/index.js';
import { injectPodTemplate } from '../../injection/index.js';
import { renderPodTemplate } from '../pod-template.js';
import type { ProxyOptions } from '../options/sidecar-options.js';
import type { ContainerOptions } from '../options/workload-options.js';
import type { Construct } from 'constructs';
import { IdentifiedWorkload, type IdentifiedWorkloadProps } from '../identified-workload.js';
import { constructProps } from '../validation/check-props.js';

export interface TaskPodTemplateProps extends IdentifiedWorkloadProps, Omit<ContainerOptions, 'replicas' | 'readiness' | 'liveness'> {
  /** Container image of the tasks. */
  readonly image: string;
  /**
   * Name of the task container; Airflow's KubernetesExecutor runs the task in the container named `base`.
   * @default 'base'
   */
  readonly containerName?: string;
  /**
   * Key of the pod file in the ConfigMap (mounted where the controller reads it, e.g. Airflow's
   * `[kubernetes_executor] pod_template_file`).
   * @default 'pod_template_file.yaml'
   */
  readonly fileName?: string;
  /** @default - the mesh's defaults */
  readonly proxy?: ProxyOptions;
}

/**
 * The pod template a controller creates task pods from (Airflow's KubernetesExecutor and
 * KubernetesPodOperator), as a ConfigMap file, with the pods' ServiceAccount. The pods run to
 * completion, so their sidecar must be native: a classic proxy would keep every task pod running.
 * They call into the mesh like any workload (`connectTo`).
 */
export class TaskPodTemplate extends IdentifiedWorkload {
  /** The ConfigMap holding the pod file. */
  public readonly configMap: ApiObject;

  public constructor(scope: Construct, id: string, props: TaskPodTemplateProps) {
    super(scope, id, constructProps(scope, id, props, 'TaskPodTemplateProps'), true);
    const path = this.node.path;
    if (this.sidecars.mode !== 'disabled' && !this.sidecars.nativeSidecars) {
      throw new MeshformError('task pods with a classic sidecar never complete: the proxy keeps running after the task', {
        construct: path,
        field: 'injection',
        fix: "Use native sidecars (Kubernetes ≥ 1.29, nativeSidecars: true on the Mesh); the controller sets the task's command, so it cannot be wrapped to stop the proxy.",
      });
    }
    const labels = { app: this.name };
    const template = renderPodTemplate(
      { ...props, labels, serviceAccountName: this.serviceAccountName, containerName: props.containerName ?? 'base', restartPolicy: 'Never', sidecars: this.sidecars, runsToCompletion: true },
      path,
    );
    const plain = k8s.toJson_PodTemplateSpec(template) as { metadata?: Record<string, unknown>; spec: Record<string, unknown> };
    const owner = { apiVersion: 'v1', kind: 'Pod', name: this.name, namespace: this.namespace };
    const { nativeSidecars, values, meshConfig } = this.sidecars;
    const pod = this.sidecars.mode === 'manual' ? injectPodTemplate(plain, owner, { nativeSidecars, values, meshConfig }) : plain;
    this.configMap = new MeshApiObject(this, 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, namespace: this.namespace, labels },
      data: { [props.fileName ?? 'pod_template_file.yaml']: stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'task', ...pod.metadata }, spec: pod.spec }) },
    });
  }
}
