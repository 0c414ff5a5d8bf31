import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MeshformError } from '../core/index.js';
import { enableMeshValidation } from './validation/mesh-validation.js';
import type { PlacementProps } from './options/placement.js';
import { WorkloadIdentity, type CallableWorkload, type Principal } from './workload-identity.js';
import type { ConnectOptions } from './routing/connect-options.js';
import { createWorkload, renderPodTemplate, sidecarsFor, type SidecarSettings } from './pod-template.js';
import type { InjectionMode, ProxyOptions } from './options/sidecar-options.js';
import type { ContainerOptions } from './options/workload-options.js';

/** pilot-agent's endpoint that stops the proxy once the job's work is done (classic layout). */
export const PROXY_QUIT_URL = 'http://127.0.0.1:15020/quitquitquit';

export interface MeshJobProps extends PlacementProps, Omit<ContainerOptions, 'replicas' | 'readiness' | 'liveness'> {
  /** Container image of the job. */
  readonly image: string;
  /**
   * Name of the Job (or CronJob) and its container.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Cron schedule; makes this a CronJob.
   * @default - a Job that runs once
   */
  readonly schedule?: string;
  /**
   * Retries before the Job is marked failed.
   * @default 6 (Kubernetes' default)
   */
  readonly backoffLimit?: number;
  /**
   * Seconds after which a finished Job is deleted.
   * @default - kept
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * ServiceAccount the pods run as: the job's identity in the mesh.
   * @default - the job's name
   */
  readonly serviceAccountName?: string;
  /**
   * How the pods get their sidecar.
   * @default - the mesh's
   */
  readonly injection?: InjectionMode;
  /** @default - the mesh's defaults */
  readonly proxy?: ProxyOptions;
}

/**
 * A Job or CronJob in the mesh that completes. With native sidecars the proxy stops when the job's
 * container does. With the classic layout the proxy would keep the pod running forever, so meshform
 * wraps the command to call the proxy's quit endpoint when it exits (the image needs `sh` and
 * `curl`), and refuses a job without an explicit command, which it cannot wrap.
 */
export class MeshJob extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  public readonly sidecars: SidecarSettings;
  private readonly identity: WorkloadIdentity;

  public constructor(scope: Construct, id: string, props: MeshJobProps) {
    super(scope, id);
    enableMeshValidation(this);
    const path = this.node.path;
    this.sidecars = sidecarsFor(props.mesh, props.injection);
    this.identity = new WorkloadIdentity(this, props, this.sidecars);
    ({ name: this.name, namespace: this.namespace, serviceAccountName: this.serviceAccountName } = this.identity);

    const labels = { app: this.name };
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.serviceAccountName, namespace: this.namespace, labels } });
    const template = renderPodTemplate(
      {
        ...props,
        ...this.completingCommand(props, path),
        labels,
        serviceAccountName: this.serviceAccountName,
        containerName: this.name,
        restartPolicy: 'Never',
        sidecars: this.sidecars,
        runsToCompletion: true,
      },
      path,
    );
    const jobSpec: k8s.JobSpec = {
      template,
      ...(props.backoffLimit !== undefined ? { backoffLimit: props.backoffLimit } : {}),
      ...(props.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: props.ttlSecondsAfterFinished } : {}),
    };
    const common = { apiVersion: 'batch/v1', metadata: { name: this.name, namespace: this.namespace, labels }, template, sidecars: this.sidecars };
    if (props.schedule) {
      createWorkload(this, 'CronJob', {
        ...common,
        kind: 'CronJob',
        spec: k8s.toJson_CronJobSpec({ schedule: props.schedule, jobTemplate: { spec: jobSpec } }),
        templatePointer: '/spec/jobTemplate/spec/template',
      });
    } else {
      createWorkload(this, 'Job', { ...common, kind: 'Job', spec: k8s.toJson_JobSpec(jobSpec), templatePointer: '/spec/template' });
    }
  }

  /** This job's identity, for a server's authorization policy. */
  public get principal(): Principal {
    return this.identity.principal;
  }

  /** Declares that this job calls `server` (a workload or an EgressGateway), which then admits it. */
  public connectTo(server: CallableWorkload, options?: ConnectOptions): void {
    this.identity.connectTo(server, options);
  }

  /** The command, wrapped to stop a classic-layout proxy when it exits. */
  private completingCommand(props: MeshJobProps, path: string): Pick<ContainerOptions, 'command' | 'args'> {
    if (this.sidecars.mode === 'disabled' || this.sidecars.nativeSidecars) return {};
    if (!props.command) {
      throw new MeshformError('with the classic sidecar layout the proxy keeps running after the job exits, so the Job never completes', {
        construct: path,
        field: 'command',
        fix: 'Use native sidecars (Kubernetes ≥ 1.29, nativeSidecars: true on the Mesh), or give command (and args) so that meshform can stop the proxy when the job ends.',
      });
    }
    const words = [...props.command, ...(props.args ?? [])].map(shellQuote).join(' ');
    return {
      command: ['/bin/sh', '-c', `${words}; status=$?; curl -fsS -X POST ${PROXY_QUIT_URL} >/dev/null || true; exit $status`],
      args: undefined,
    };
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
