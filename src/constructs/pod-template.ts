import { MeshApiObject } from '../../imports/mesh-api-object.js';
import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { assertOneOf, holdsDeferredValue, isDnsSubdomain, isImageReference, isLabelKey, isQuantity, MeshformError, sortedLabels } from '../core/index.js';
import type { Construct } from 'constructs';
import { assertInjectableAnnotations, injectPodTemplate, type InjectionOptions } from '../injection/index.js';
import { proxyAnnotations, type InjectionMode, type ProxyOptions } from './options/sidecar-options.js';
import type { ContainerOptions } from './options/workload-options.js';

/** How the pods of a namespace (or one workload) get their sidecar. */
export interface SidecarSettings extends Pick<InjectionOptions, 'values' | 'meshConfig'> {
  readonly mode: InjectionMode;
  /**
   * Control plane revision the pods are bound to.
   * @default - the default revision
   */
  readonly revision?: string;
  /** Native sidecars (Kubernetes ≥ 1.29) or the classic layout. */
  readonly nativeSidecars: boolean;
  /**
   * Give each workload a Sidecar resource limited to the services it connects to.
   * @default false
   */
  readonly scoped?: boolean;
  /**
   * Only hosts in the service registry (Services, ServiceEntries) are reachable.
   * @default false
   */
  readonly registryOnly?: boolean;
}

export const DEFAULT_SIDECARS: SidecarSettings = { mode: 'auto', nativeSidecars: true };

/** Everything a meshform pod template is made of. */
export interface PodTemplateInput extends ContainerOptions {
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccountName: string;
  readonly containerName: string;
  readonly image: string;
  readonly containerPorts?: readonly number[];
  /** Container ports that carry UDP. */
  readonly udpPorts?: readonly number[];
  /** Persistent volumes (a StatefulSet's claims) to mount besides the scratch volumes. */
  readonly claimMounts?: readonly { readonly name: string; readonly mountPath: string }[];
  /** The port probes check when they name none. */
  readonly probePort?: number;
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  readonly proxy?: ProxyOptions;
  readonly sidecars: SidecarSettings;
  /** Pods that run to completion: their sidecar must not keep them alive. */
  readonly runsToCompletion?: boolean;
  /** The workload calls the Kubernetes API (`kubernetesApiAccess`): its pods mount the token. */
  readonly usesKubernetesApi?: boolean;
}

// Kubernetes' restricted Pod Security Standard, for the application container and its pod. The
// proxy's containers get theirs from the injection template; istio-init (without the Istio CNI)
// needs NET_ADMIN and NET_RAW, which this level does not allow.
const RESTRICTED_CONTAINER: k8s.SecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true };
const RESTRICTED_POD: k8s.PodSecurityContext = { seccompProfile: { type: 'RuntimeDefault' } };

/**
 * The pod template of a meshform workload: one application container, the labels and
 * annotations that select its sidecar (on the pod template, where Istio reads them, never on
 * the workload's own metadata) and the proxy's settings.
 */
export function renderPodTemplate(input: PodTemplateInput, construct: string): k8s.PodTemplateSpec {
  if (input.image.trim() === '') {
    throw new MeshformError('the image is empty', { construct, field: 'image', fix: 'Give the container image, e.g. "registry.example.com/app:1.2.3".' });
  }
  if (!isImageReference(input.image) && !holdsDeferredValue(input.image)) {
    throw new MeshformError(`"${input.image.slice(0, 80)}" is not an image reference`, {
      construct,
      field: 'image',
      fix: 'Give [registry/]path[:tag][@digest] with a lower-case path and no spaces, e.g. "registry.example.com/team/app:1.2.3".',
    });
  }
  if (input.replicas !== undefined && !(Number.isInteger(input.replicas) && input.replicas >= 0)) {
    throw new MeshformError(`replicas is ${input.replicas}`, { construct, field: 'replicas', fix: 'Give a whole number ≥ 0.' });
  }
  const injectionLabels: Record<string, string> =
    input.sidecars.mode === 'auto'
      ? { 'sidecar.istio.io/inject': 'true', ...(input.sidecars.revision ? { 'istio.io/rev': input.sidecars.revision } : {}) }
      : input.sidecars.mode === 'disabled'
        ? { 'sidecar.istio.io/inject': 'false' }
        : {};
  checkPodSettings(input, construct);
  const grace = input.terminationGracePeriodSeconds;
  // A classic-layout proxy stops after its drain, long before an application given minutes to finish.
  const proxy =
    grace !== undefined && !input.sidecars.nativeSidecars && input.proxy?.terminationDrainDuration === undefined
      ? { ...input.proxy, terminationDrainDuration: `${grace}s` }
      : input.proxy;
  const annotations: Record<string, string> = {
    ...input.podAnnotations,
    ...(input.sidecars.mode !== 'disabled' ? proxyAnnotations(proxy, construct) : {}),
    // A batch pod must not wait on a sidecar that never exits: ask for the native layout.
    ...(input.runsToCompletion && input.sidecars.mode === 'auto' && input.sidecars.nativeSidecars ? { 'sidecar.istio.io/nativeSidecar': 'true' } : {}),
  };
  const restricted = input.restrictedPodSecurity ?? true;
  if (input.sidecars.mode !== 'disabled') assertInjectableAnnotations(annotations, construct, 'podAnnotations');
  const podSecurity = nonEmpty({ ...(restricted ? RESTRICTED_POD : {}), ...input.podSecurityContext, ...(input.fsGroup !== undefined ? { fsGroup: input.fsGroup } : {}) });
  const containerSecurity = nonEmpty({ ...(restricted ? RESTRICTED_CONTAINER : {}), ...input.securityContext, ...(input.runAsUser !== undefined ? { runAsUser: input.runAsUser } : {}) });
  const automountToken = input.automountServiceAccountToken ?? input.usesKubernetesApi ?? false;
  const probePort = input.probePort ?? input.containerPorts?.[0] ?? 0;
  const files = input.files ?? [];
  const mounts = [
    ...(input.scratchVolumes ?? []).map(({ name, mountPath }) => ({ name, mountPath })),
    ...files.map(({ name, mountPath }) => ({ name, mountPath, readOnly: true })),
    ...(input.claimMounts ?? []).map(({ name, mountPath }) => ({ name, mountPath })),
  ];
  const volumes: k8s.Volume[] = [
    ...(input.scratchVolumes ?? []).map(({ name }) => ({ name, emptyDir: {} })),
    ...files.map(({ name, configMap, secret }) => (configMap ? { name, configMap: { name: configMap } } : { name, secret: { secretName: secret } })),
  ];
  // Field and Secret variables first, so that plain values can refer to them as $(NAME).
  const environment: k8s.EnvVar[] = [
    ...Object.entries(input.fieldEnv ?? {}).map(([name, fieldPath]) => ({ name, valueFrom: { fieldRef: { fieldPath } } })),
    ...Object.entries(input.secretEnv ?? {}).map(([name, { secret, key }]) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } })),
    ...Object.entries(input.env ?? {}).map(([name, value]) => ({ name, value })),
  ];
  return {
    metadata: {
      labels: sortedLabels({ ...input.labels, ...injectionLabels }),
      ...(Object.keys(annotations).length > 0 ? { annotations: sortedLabels(annotations) } : {}),
    },
    spec: {
      serviceAccountName: input.serviceAccountName,
      automountServiceAccountToken: automountToken,
      ...(input.restartPolicy ? { restartPolicy: input.restartPolicy } : {}),
      ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
      ...(podSecurity ? { securityContext: podSecurity } : {}),
      ...(input.topologySpread ? { topologySpreadConstraints: [spreadConstraint(input.topologySpread, input.labels)] } : {}),
      ...(input.nodeSelector ? { nodeSelector: { ...input.nodeSelector } } : {}),
      ...(input.tolerations ? { tolerations: input.tolerations.map((toleration) => ({ ...toleration })) } : {}),
      ...(input.affinity ? { affinity: input.affinity } : {}),
      ...(input.priorityClassName ? { priorityClassName: input.priorityClassName } : {}),
      ...(input.imagePullSecrets ? { imagePullSecrets: input.imagePullSecrets.map((name) => ({ name })) } : {}),
      containers: [
        {
          name: input.containerName,
          image: input.image,
          ...(input.command ? { command: [...input.command] } : {}),
          ...(input.args ? { args: [...input.args] } : {}),
          ...(input.containerPorts?.length
            ? { ports: input.containerPorts.map((containerPort) => ({ containerPort, ...(input.udpPorts?.includes(containerPort) ? { protocol: 'UDP' } : {}) })) }
            : {}),
          ...(environment.length > 0 ? { env: environment } : {}),
          ...(containerSecurity ? { securityContext: containerSecurity } : {}),
          ...(input.resources ? { resources: renderResources(input.resources) } : {}),
          ...(input.readiness ? { readinessProbe: input.readiness._toKube(probePort) } : {}),
          ...(input.liveness ? { livenessProbe: input.liveness._toKube(probePort) } : {}),
          ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
        },
      ],
      ...(volumes.length > 0 ? { volumes } : {}),
    },
  };
}

const ISTIO_PROXY_UID = 1337;

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

/** Checks the pod-level settings that a manifest would only reject at apply time, or never. */
function checkPodSettings(input: PodTemplateInput, construct: string): void {
  if (input.runAsUser !== undefined && input.securityContext?.runAsUser !== undefined) {
    throw new MeshformError('runAsUser is given twice', { construct, field: 'securityContext.runAsUser', fix: 'Give it as the runAsUser prop or in securityContext, not both.' });
  }
  if (input.fsGroup !== undefined && input.podSecurityContext?.fsGroup !== undefined) {
    throw new MeshformError('fsGroup is given twice', { construct, field: 'podSecurityContext.fsGroup', fix: 'Give it as the fsGroup prop or in podSecurityContext, not both.' });
  }
  checkIds(input, construct);
  checkEnvironmentNames(input, construct);
  for (const key of Object.keys(input.podAnnotations ?? {})) {
    if (!isLabelKey(key)) {
      throw new MeshformError(`"${key.slice(0, 80)}" is not an annotation key`, {
        construct,
        field: `podAnnotations['${key.slice(0, 80)}']`,
        fix: "Give [prefix/]name: a name of letters, digits, '-', '_' and '.' (up to 63), under an optional DNS prefix, e.g. 'prometheus.io/scrape'.",
      });
    }
  }
  for (const [level, amounts] of Object.entries(input.resources ?? {})) {
    for (const [resource, amount] of Object.entries((amounts ?? {}) as Record<string, unknown>)) {
      if (amount === undefined) continue;
      if (typeof amount !== 'string' || !isQuantity(amount) || amount.startsWith('-')) {
        throw new MeshformError(`${JSON.stringify(amount)?.slice(0, 40)} is not a resource amount`, {
          construct,
          field: `resources.${level}.${resource}`,
          fix: "Give a Kubernetes quantity of 0 or more, e.g. '250m' of CPU or '512Mi' of memory.",
        });
      }
    }
  }
  // The container's user: its own, else the pod's.
  const user = input.runAsUser ?? input.securityContext?.runAsUser ?? input.podSecurityContext?.runAsUser;
  const userField = input.runAsUser !== undefined ? 'runAsUser' : input.securityContext?.runAsUser !== undefined ? 'securityContext.runAsUser' : 'podSecurityContext.runAsUser';
  if (user !== undefined) {
    if (user === 0 && (input.restrictedPodSecurity ?? true) && input.securityContext?.runAsNonRoot !== false) {
      throw new MeshformError('runAsUser 0 is root, and the restricted pod security runs the container as non-root', {
        construct,
        field: userField,
        fix: 'Run the application as a non-root user; if it must run as root, set restrictedPodSecurity: false (or securityContext.runAsNonRoot: false).',
      });
    }
    if (user === ISTIO_PROXY_UID && input.sidecars.mode !== 'disabled') {
      throw new MeshformError('runAsUser 1337 is the Istio proxy\'s user', {
        construct,
        field: userField,
        fix: "Traffic from UID 1337 bypasses the sidecar's capture (IST0144); run the application as another user.",
      });
    }
  }
  for (const [field, value] of [['priorityClassName', input.priorityClassName], ...(input.imagePullSecrets ?? []).map((name, index) => [`imagePullSecrets[${index}]`, name])] as const) {
    if (value !== undefined && (typeof value !== 'string' || !isDnsSubdomain(value))) {
      throw new MeshformError(`"${String(value)}" is not a valid object name`, { construct, field, fix: "Give the name of the object, lower-case letters, digits, '-' and '.'." });
    }
  }
  for (const [key, value] of Object.entries(input.nodeSelector ?? {})) {
    if (typeof value !== 'string') throw new MeshformError(`nodeSelector ${key} is not a string`, { construct, field: `nodeSelector.${key}`, fix: 'Give each node label value as a string.' });
  }
  if (input.topologySpread) assertOneOf(input.topologySpread.across, ['hostname', 'zone'], { construct, field: 'topologySpread.across' });
  const grace = input.terminationGracePeriodSeconds;
  if (grace !== undefined && !(Number.isInteger(grace) && grace >= 0)) {
    throw new MeshformError(`terminationGracePeriodSeconds is ${grace}`, { construct, field: 'terminationGracePeriodSeconds', fix: 'Give whole seconds ≥ 0.' });
  }
  const names = [...Object.keys(input.fieldEnv ?? {}), ...Object.keys(input.secretEnv ?? {}), ...Object.keys(input.env ?? {})];
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) {
    throw new MeshformError(`environment variable ${twice} is set twice`, { construct, field: 'env', fix: 'Set each variable in one of env, secretEnv and fieldEnv.' });
  }
  (input.files ?? []).forEach((file, index) => {
    if ((file.configMap === undefined) === (file.secret === undefined)) {
      throw new MeshformError('a file volume needs one source', { construct, field: `files[${index}]`, fix: 'Give configMap or secret, one of the two.' });
    }
    if (typeof file.mountPath !== 'string' || !file.mountPath.startsWith('/')) {
      throw new MeshformError(`mountPath "${String(file.mountPath)}" is not an absolute path`, { construct, field: `files[${index}].mountPath`, fix: "Give a path such as '/opt/airflow/pod-templates'." });
    }
  });
  for (const [name, reference] of Object.entries(input.secretEnv ?? {})) {
    if (!reference || typeof reference.secret !== 'string' || !reference.secret || typeof reference.key !== 'string' || !reference.key) {
      throw new MeshformError(`secretEnv.${name} names no Secret key`, { construct, field: `secretEnv.${name}`, fix: "Give { secret: 'airflow-secrets', key: 'fernet-key' }." });
    }
  }
}

const MAX_ID = 2147483647;

/** User and group ids as Kubernetes takes them: whole numbers from 0 to 2³¹−1. */
function checkIds(input: PodTemplateInput, construct: string): void {
  const ids: [string, unknown][] = [
    ['runAsUser', input.runAsUser],
    ['fsGroup', input.fsGroup],
    ['securityContext.runAsUser', input.securityContext?.runAsUser],
    ['securityContext.runAsGroup', input.securityContext?.runAsGroup],
    ['podSecurityContext.fsGroup', input.podSecurityContext?.fsGroup],
    ['podSecurityContext.runAsUser', input.podSecurityContext?.runAsUser],
    ['podSecurityContext.runAsGroup', input.podSecurityContext?.runAsGroup],
  ];
  for (const [field, id] of ids) {
    if (id !== undefined && !(Number.isInteger(id) && (id as number) >= 0 && (id as number) <= MAX_ID)) {
      throw new MeshformError(`${String(id)} is not a user or group id`, { construct, field, fix: `Give a whole number from 0 to ${MAX_ID}.` });
    }
  }
}

// Kubernetes' rule for environment variable names (a C identifier, plus '-' and '.').
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function checkEnvironmentNames(input: PodTemplateInput, construct: string): void {
  for (const [field, names] of [['env', input.env], ['secretEnv', input.secretEnv], ['fieldEnv', input.fieldEnv]] as const) {
    for (const name of Object.keys(names ?? {})) {
      if (!ENV_NAME.test(name)) {
        throw new MeshformError(`"${name.slice(0, 80)}" is not an environment variable name`, {
          construct,
          field: `${field}['${name.slice(0, 80)}']`,
          fix: "Use letters, digits, '_', '-' and '.', not starting with a digit, e.g. 'DATABASE_URL'.",
        });
      }
    }
  }
}

function spreadConstraint({ across, required }: NonNullable<ContainerOptions['topologySpread']>, labels: Readonly<Record<string, string>>): k8s.TopologySpreadConstraint {
  return {
    maxSkew: 1,
    topologyKey: across === 'zone' ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname',
    whenUnsatisfiable: required ? 'DoNotSchedule' : 'ScheduleAnyway',
    labelSelector: { matchLabels: sortedLabels({ ...labels }) },
  };
}

/** A workload object: its kind, metadata and spec (typed by cdk8s-plus, converted to JSON). */
export interface WorkloadObjectProps {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Record<string, string> };
  readonly spec: Record<string, unknown> | undefined;
  /** JSON pointer of the pod template inside the object. */
  readonly templatePointer: string;
  readonly template: k8s.PodTemplateSpec;
  readonly sidecars: SidecarSettings;
}

/**
 * Creates a workload (Deployment, Job, CronJob) as a plain ApiObject and, for manual injection,
 * replaces its pod template with the injected one through a JSON patch. The sidecar has fields
 * newer than cdk8s-plus-27's Kubernetes 1.27 types (an init container's restartPolicy), which
 * its typed classes would drop when serializing; a plain ApiObject keeps every patched field.
 */
export function createWorkload(scope: Construct, id: string, props: WorkloadObjectProps): ApiObject {
  const object = new MeshApiObject(scope, id, { apiVersion: props.apiVersion, kind: props.kind, metadata: props.metadata, spec: props.spec });
  if (props.sidecars.mode === 'manual') {
    const owner = { apiVersion: props.apiVersion, kind: props.kind, name: props.metadata.name, namespace: props.metadata.namespace };
    const plain = k8s.toJson_PodTemplateSpec(props.template) as { metadata?: any; spec: any };
    const { nativeSidecars, values, meshConfig } = props.sidecars;
    object.addJsonPatch(JsonPatch.replace(props.templatePointer, injectPodTemplate(plain, owner, { nativeSidecars, values, meshConfig })));
  }
  return object;
}

function renderResources(resources: NonNullable<ContainerOptions['resources']>): k8s.ResourceRequirements {
  const quantities = (amounts?: { cpu?: string; memory?: string }) =>
    amounts
      ? Object.fromEntries(
          Object.entries(amounts)
            .filter(([, value]) => value !== undefined)
            .map(([key, value]) => [key, k8s.Quantity.fromString(value as string)]),
        )
      : undefined;
  return { requests: quantities(resources.requests), limits: quantities(resources.limits) };
}

/** The sidecar settings of a workload: its mesh's, with the workload's own injection mode on top. */
export function sidecarsFor(mesh: { readonly sidecars: SidecarSettings } | undefined, injection: InjectionMode | undefined): SidecarSettings {
  const base = mesh?.sidecars ?? DEFAULT_SIDECARS;
  return injection ? { ...base, mode: injection } : base;
}
