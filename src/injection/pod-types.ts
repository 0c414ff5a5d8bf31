/**
 * The pod shapes injection reads and writes: the fields of core/v1 it looks at, typed, and every
 * other field passed through. Enumerations stay strings because values come from user YAML and
 * Helm values, which the injector copies rather than judges (the schema check does that).
 */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: Readonly<Record<string, unknown>>;
}

export interface ContainerPort {
  readonly name?: string;
  readonly hostPort?: number;
  readonly containerPort: number;
  readonly protocol?: string;
  readonly hostIP?: string;
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly [field: string]: unknown;
}

export interface ResourceRequirements {
  readonly limits?: Readonly<Record<string, string>>;
  readonly requests?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

export interface SecurityContext {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
  readonly [field: string]: unknown;
}

/** An HTTP GET, TCP or gRPC check of a probe; ports may be numbers or port names. */
export interface ProbeAction {
  readonly port?: number | string;
  readonly path?: string;
  readonly [field: string]: unknown;
}

export interface Probe {
  readonly httpGet?: ProbeAction;
  readonly tcpSocket?: ProbeAction;
  readonly grpc?: ProbeAction;
  readonly exec?: { readonly command?: readonly string[] };
  readonly timeoutSeconds?: number;
  readonly [field: string]: unknown;
}

/** Lifecycle hooks: their handlers have the shape of a probe's check (exec, httpGet, tcpSocket). */
export interface Lifecycle {
  readonly postStart?: Probe;
  readonly preStop?: Probe;
  readonly [field: string]: unknown;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports?: readonly ContainerPort[];
  readonly env?: readonly EnvVar[];
  readonly resources?: ResourceRequirements;
  readonly restartPolicy?: string;
  readonly volumeMounts?: readonly VolumeMount[];
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly lifecycle?: Lifecycle;
  readonly imagePullPolicy?: string;
  readonly securityContext?: SecurityContext;
  readonly [field: string]: unknown;
}

export interface Volume {
  readonly name: string;
  readonly [source: string]: unknown;
}

export interface PodSecurityContext {
  readonly sysctls?: readonly { readonly name: string; readonly value: string }[];
  readonly [field: string]: unknown;
}

export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly imagePullSecrets?: readonly { readonly name: string }[];
  readonly securityContext?: PodSecurityContext;
  readonly hostNetwork?: boolean;
  readonly [field: string]: unknown;
}
