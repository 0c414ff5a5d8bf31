import type { k8s } from 'cdk8s-plus-27';
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

/** A key of a Kubernetes Secret, read into an environment variable: the value never enters the manifests. */
export interface SecretKeyReference {
  /** Name of the Secret, in the workload's namespace. */
  readonly secret: string;
  readonly key: string;
}

/** Files from a ConfigMap or Secret, mounted read-only into the application container. */
export interface FileVolume {
  readonly name: string;
  readonly mountPath: string;
  /**
   * The ConfigMap to mount. Give `configMap` or `secret`.
   * @default - `secret`
   */
  readonly configMap?: string;
  /**
   * The Secret to mount (certificates, keystores).
   * @default - `configMap`
   */
  readonly secret?: string;
}

/** How the pods spread over nodes or zones. */
export interface TopologySpread {
  /** `hostname` (one node each, as far as possible) or `zone`. */
  readonly across: 'hostname' | 'zone';
  /**
   * Refuse to schedule rather than skew by more than one pod.
   * @default false
   */
  readonly required?: boolean;
}

/** What runs in a workload's pods: everything about the application container but its image. */
export interface ContainerOptions {
  /**
   * Pods per version.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Plain environment variables. They may use `$(NAME)` of `fieldEnv` and `secretEnv` variables.
   * @default - no environment variables
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Environment variables read from Secrets (passwords, keys shared by all replicas).
   * @default - none
   */
  readonly secretEnv?: Readonly<Record<string, SecretKeyReference>>;
  /**
   * Environment variables from the pod's own fields, e.g. `{ POD_NAME: 'metadata.name' }`.
   * @default - none
   */
  readonly fieldEnv?: Readonly<Record<string, string>>;
  /**
   * The user the application container runs as. Istio's proxy runs as 1337, which is refused.
   * @default - the image's user
   */
  readonly runAsUser?: number;
  /**
   * Group that owns mounted volumes.
   * @default - none
   */
  readonly fsGroup?: number;
  /**
   * Seconds a stopping pod is given to finish its work. With the classic sidecar layout, the
   * proxy is told to keep serving that long too (`terminationDrainDuration`); a native sidecar
   * stops after the application anyway.
   * @default 30 (Kubernetes' default)
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Spread the pods over nodes or zones.
   * @default - the scheduler's choice
   */
  readonly topologySpread?: TopologySpread;
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
   * ConfigMaps and Secrets mounted as files.
   * @default - none
   */
  readonly files?: readonly FileVolume[];
  /**
   * Extra annotations on the pod template (for example `prometheus.io/*`).
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Node labels the pods must run on, e.g. `{ 'kubernetes.io/arch': 'arm64' }`.
   * @default - any node
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Taints the pods tolerate (dedicated or spot nodes).
   * @default - none
   */
  readonly tolerations?: readonly k8s.Toleration[];
  /**
   * Node and pod (anti-)affinity, as Kubernetes' `affinity`.
   * @default - none
   */
  readonly affinity?: k8s.Affinity;
  /**
   * PriorityClass of the pods.
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * Secrets (in the workload's namespace) to pull the image with.
   * @default - the ServiceAccount's
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * The pod's security context, over the restricted defaults (`seccompProfile: RuntimeDefault`).
   * `fsGroup` may be given here or as the `fsGroup` prop, not both.
   * @default - the restricted defaults
   */
  readonly podSecurityContext?: k8s.PodSecurityContext;
  /**
   * The application container's security context, over the restricted defaults
   * (`runAsNonRoot`, `allowPrivilegeEscalation: false`, every capability dropped): a field given
   * here replaces the default one, e.g. `{ capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } }`.
   * `runAsUser` may be given here or as the `runAsUser` prop, not both; 1337, the proxy's user, is
   * refused either way.
   * @default - the restricted defaults
   */
  readonly securityContext?: k8s.SecurityContext;
  /**
   * Run the pods as Kubernetes' `restricted` Pod Security Standard asks: the application container
   * as a non-root user, without privilege escalation or capabilities, under the runtime's default
   * seccomp profile. The image must then run as a numeric non-root user, or `runAsUser` must name
   * one. `false` renders none of these defaults (the image's user, the runtime's capabilities).
   * @default true
   */
  readonly restrictedPodSecurity?: boolean;
  /**
   * Mount the ServiceAccount's Kubernetes API token into the pods. Istio's proxy does not need it
   * (it has its own `istio-token`).
   * @default - true with `kubernetesApiAccess`, false without
   */
  readonly automountServiceAccountToken?: boolean;
}
