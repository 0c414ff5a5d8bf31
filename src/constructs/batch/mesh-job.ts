import type { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { MeshformError } from '../../core/index.js';
import { createWorkload, renderPodTemplate } from '../pod-template.js';
import type { ProxyOptions } from '../options/sidecar-options.js';
import type { ContainerOptions } from '../options/workload-options.js';
import type { Construct } from 'constructs';
import { IdentifiedWorkload, type IdentifiedWorkloadProps } from '../identified-workload.js';
import { constructProps } from '../validation/check-props.js';

/** pilot-agent's endpoint that stops the proxy once the job's work is done (classic layout). */
export const PROXY_QUIT_URL = 'http://127.0.0.1:15020/quitquitquit';

export interface MeshJobProps extends IdentifiedWorkloadProps, Omit<ContainerOptions, 'replicas' | 'readiness' | 'liveness'> {
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
  /** @default - the mesh's defaults */
  readonly proxy?: ProxyOptions;
  /**
   * Seconds a run may take before Kubernetes stops it (the Job's `activeDeadlineSeconds`).
   * @default - no limit
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * With `schedule`: whether a run may start while the last one still runs.
   * @default 'Allow' (Kubernetes' default)
   */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /**
   * With `schedule`: seconds after its scheduled time that a missed run may still start.
   * @default - no deadline
   */
  readonly startingDeadlineSeconds?: number;
}

const CONCURRENCY_POLICIES: readonly string[] = ['Allow', 'Forbid', 'Replace'];

/**
 * A Job or CronJob in the mesh that completes. With native sidecars the proxy stops when the job's
 * container does. With the classic layout the proxy would keep the pod running forever, so meshform
 * wraps the command to call the proxy's quit endpoint when it exits (the image needs `sh` and
 * `curl`), and refuses a job without an explicit command, which it cannot wrap.
 */
export class MeshJob extends IdentifiedWorkload {
  /** The Job or CronJob, for JSON patches (`addJsonPatch`) of fields meshform has no prop for. */
  public readonly workload: ApiObject;

  public constructor(scope: Construct, id: string, props: MeshJobProps) {
    super(scope, id, constructProps(scope, id, props, 'MeshJobProps'));
    const path = this.node.path;
    checkJobTiming(props, path);
    const labels = { app: this.name };
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
      ...(props.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: props.activeDeadlineSeconds } : {}),
      ...(props.backoffLimit !== undefined ? { backoffLimit: props.backoffLimit } : {}),
      ...(props.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: props.ttlSecondsAfterFinished } : {}),
    };
    const common = { apiVersion: 'batch/v1', metadata: { name: this.name, namespace: this.namespace, labels }, template, sidecars: this.sidecars };
    if (props.schedule) {
      this.workload = createWorkload(this, 'CronJob', {
        ...common,
        kind: 'CronJob',
        spec: k8s.toJson_CronJobSpec({
          schedule: props.schedule,
          ...(props.concurrencyPolicy ? { concurrencyPolicy: props.concurrencyPolicy } : {}),
          ...(props.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: props.startingDeadlineSeconds } : {}),
          jobTemplate: { spec: jobSpec },
        }),
        templatePointer: '/spec/jobTemplate/spec/template',
      });
    } else {
      this.workload = createWorkload(this, 'Job', { ...common, kind: 'Job', spec: k8s.toJson_JobSpec(jobSpec), templatePointer: '/spec/template' });
    }
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

/** Deadlines are whole seconds; the CronJob settings need a schedule to mean anything. */
function checkJobTiming(props: MeshJobProps, construct: string): void {
  for (const field of ['activeDeadlineSeconds', 'startingDeadlineSeconds'] as const) {
    const value = props[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw new MeshformError(`${field} is ${String(value)}`, { construct, field, fix: 'Give whole seconds ≥ 1.' });
    }
  }
  if (props.concurrencyPolicy !== undefined && !CONCURRENCY_POLICIES.includes(props.concurrencyPolicy)) {
    throw new MeshformError(`concurrencyPolicy "${String(props.concurrencyPolicy)}" is not known`, { construct, field: 'concurrencyPolicy', fix: `Use one of ${CONCURRENCY_POLICIES.join(', ')}.` });
  }
  const scheduled = (['concurrencyPolicy', 'startingDeadlineSeconds'] as const).find((field) => props[field] !== undefined);
  if (scheduled && !props.schedule) {
    throw new MeshformError(`${scheduled} is given without a schedule`, { construct, field: scheduled, fix: 'Give schedule (a CronJob), or leave it out of a Job that runs once.' });
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
