import type { ApiObjectProps } from 'cdk8s';
import { assertCount, MeshformError, type ErrorLocation } from '../../core/index.js';

/** What a workload's autoscaler scales: its Deployment or StatefulSet. */
export interface ScaleTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** A KEDA trigger, as KEDA spells it (`type`, `metadata`, and the optional `authenticationRef`). */
export interface KedaTrigger {
  readonly type: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** @default - none */
  readonly authenticationRef?: { readonly name: string };
}

export interface CpuAutoscalingOptions {
  /** @default 1 */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /**
   * Target average CPU use, in percent of the requests.
   * @default 50
   */
  readonly utilization?: number;
  /**
   * Measure the application container only, leaving the sidecar's CPU out of the average
   * (`ContainerResource`, Kubernetes ≥ 1.30); otherwise the whole pod counts, proxy included.
   * @default - the whole pod
   */
  readonly container?: string;
  /**
   * Seconds of lower load before replicas are removed.
   * @default 300
   */
  readonly scaleDownStabilizationSeconds?: number;
}

export interface KedaAutoscalingOptions {
  /** @default 0 (KEDA scales to zero) */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  readonly triggers: readonly KedaTrigger[];
  /**
   * Seconds between checks of the triggers.
   * @default 30 (KEDA's)
   */
  readonly pollingInterval?: number;
  /**
   * Seconds after the last active trigger before scaling to zero.
   * @default 300 (KEDA's)
   */
  readonly cooldownPeriod?: number;
  /**
   * Seconds of lower load before replicas are removed (the HPA KEDA creates).
   * @default - Kubernetes' (300)
   */
  readonly scaleDownStabilizationSeconds?: number;
}

/**
 * Who sets a workload's replica count: a HorizontalPodAutoscaler on CPU, or a KEDA ScaledObject
 * (which runs an HPA of its own). A workload takes one of them, never both: two autoscalers
 * on one target fight over its replicas.
 */
export class Autoscaling {
  public static cpu(options: CpuAutoscalingOptions): Autoscaling {
    return new Autoscaling('cpu', options);
  }
  public static keda(options: KedaAutoscalingOptions): Autoscaling {
    return new Autoscaling('keda', options);
  }

  private constructor(
    public readonly kind: 'cpu' | 'keda',
    private readonly options: CpuAutoscalingOptions | KedaAutoscalingOptions,
  ) {}

  /** The autoscaler's manifest for `target`. @internal */
  public _toManifest(target: ScaleTarget, metadata: { name: string; namespace: string }, location: ErrorLocation): ApiObjectProps {
    const at = (field: string): ErrorLocation => ({ construct: location.construct, field: `autoscaling.${field}` });
    const min = assertCount(this.options.minReplicas ?? (this.kind === 'cpu' ? 1 : 0), at('minReplicas'), this.kind === 'cpu' ? 1 : 0);
    const max = assertCount(this.options.maxReplicas, at('maxReplicas'), 1);
    if (max < min) throw new MeshformError(`maxReplicas ${max} is below minReplicas ${min}`, { ...at('maxReplicas'), fix: 'Give a maximum at least as large as the minimum.' });
    const scaleTargetRef = { apiVersion: target.apiVersion, kind: target.kind, name: target.name };
    const stabilization = this.options.scaleDownStabilizationSeconds;
    const behavior = (seconds: number | undefined) => (seconds === undefined ? {} : { behavior: { scaleDown: { stabilizationWindowSeconds: assertCount(seconds, at('scaleDownStabilizationSeconds')) } } });
    if (this.kind === 'cpu') {
      const options = this.options as CpuAutoscalingOptions;
      const utilization = assertCount(options.utilization ?? 50, at('utilization'), 1);
      const target = { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } };
      return {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata,
        spec: {
          scaleTargetRef,
          minReplicas: min,
          maxReplicas: max,
          metrics: [options.container ? { type: 'ContainerResource', containerResource: { ...target, container: options.container } } : { type: 'Resource', resource: target }],
          ...behavior(stabilization ?? 300),
        },
      };
    }
    const options = this.options as KedaAutoscalingOptions;
    if (!Array.isArray(options.triggers) || options.triggers.length === 0) {
      throw new MeshformError('the ScaledObject has no trigger', { ...at('triggers'), fix: "Give at least one KEDA trigger, e.g. { type: 'postgresql', metadata: { query, targetQueryValue } }." });
    }
    options.triggers.forEach((trigger, index) => {
      if (typeof trigger?.type !== 'string' || trigger.type === '') throw new MeshformError('the trigger has no type', { ...at(`triggers[${index}].type`), fix: "Name KEDA's scaler, e.g. 'postgresql' or 'redis'." });
    });
    return {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
        minReplicaCount: min,
        maxReplicaCount: max,
        ...(options.pollingInterval !== undefined ? { pollingInterval: assertCount(options.pollingInterval, at('pollingInterval'), 1) } : {}),
        ...(options.cooldownPeriod !== undefined ? { cooldownPeriod: assertCount(options.cooldownPeriod, at('cooldownPeriod')) } : {}),
        ...(stabilization !== undefined ? { advanced: { horizontalPodAutoscalerConfig: behavior(stabilization) } } : {}),
        triggers: options.triggers.map((trigger) => ({ type: trigger.type, metadata: { ...trigger.metadata }, ...(trigger.authenticationRef ? { authenticationRef: { name: trigger.authenticationRef.name } } : {}) })),
      },
    };
  }
}

/** How many pods a voluntary disruption (a node drain, an upgrade) may take at once. */
export interface DisruptionBudget {
  /**
   * Pods that may be down at once (a number or a percentage such as `'25%'`).
   * @default 1
   */
  readonly maxUnavailable?: number | string;
}

/** The PodDisruptionBudget of a workload's pods. */
export function renderDisruptionBudget(budget: DisruptionBudget, selector: Record<string, string>, metadata: { name: string; namespace: string }, location: ErrorLocation): ApiObjectProps {
  const value = budget.maxUnavailable ?? 1;
  const valid = typeof value === 'number' ? Number.isInteger(value) && value >= 0 : /^\d{1,3}%$/.test(value) && Number.parseInt(value, 10) <= 100;
  if (!valid) {
    throw new MeshformError(`maxUnavailable ${String(value)} is not a pod count or percentage`, { ...location, field: 'disruptionBudget.maxUnavailable', fix: "Give a whole number such as 1, or a percentage such as '25%'." });
  }
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata, spec: { maxUnavailable: value, selector: { matchLabels: selector } } };
}
