import type { HealthCheck } from './health-check.js';

/** CPU and memory for a container, in Kubernetes quantities (`'100m'`, `'128Mi'`). */
export interface ResourceAmounts {
  /** @default - none set */
  readonly cpu?: string;
  /** @default - none set */
  readonly memory?: string;
}

/** Requests and limits of a container. */
export interface ContainerResources {
  /** @default - none */
  readonly requests?: ResourceAmounts;
  /** @default - none */
  readonly limits?: ResourceAmounts;
}

/** A scratch (emptyDir) volume mounted into the application container. */
export interface ScratchVolume {
  readonly name: string;
  readonly mountPath: string;
}

/** What runs in a workload's pods: everything about the application container but its image. */
export interface ContainerOptions {
  /**
   * Pods per version.
   * @default 1
   */
  readonly replicas?: number;
  /** @default - no environment variables */
  readonly env?: Readonly<Record<string, string>>;
  /** @default - no requests or limits */
  readonly resources?: ContainerResources;
  /** @default - no readiness probe */
  readonly readiness?: HealthCheck;
  /** @default - no liveness probe */
  readonly liveness?: HealthCheck;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's arguments */
  readonly args?: readonly string[];
  /** @default - none */
  readonly scratchVolumes?: readonly ScratchVolume[];
  /**
   * Extra annotations on the pod template (for example `prometheus.io/*`).
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}
