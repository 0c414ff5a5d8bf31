import { schemaIssues } from '../../imports/schemas.js';
import { type KubeObject, KUBERNETES_SYSTEM_NAMESPACES, MeshformError } from '../core/index.js';
import { type InjectionOptions, injectPodTemplate, type PodMetadata, withEmptyResources } from './inject-pod.js';
import type { PodSpec } from './pod-types.js';
import type { PodOwner } from './templates/template-input.js';

/** A pod's ownerReference: the fields that name its controller. */
interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly controller: boolean;
}

/** Where a kind keeps its pod template; CronJob is handled on its own. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController', 'DeploymentConfig']);

/**
 * What Go's Kubernetes types write for a kind when the fields are unset (structs and counters
 * without omitempty): kube-inject re-marshals every workload, injected or not.
 */
const GO_ZERO_VALUES: Readonly<Record<string, { spec?: object; status: object }>> = {
  Pod: { status: {} },
  Deployment: { spec: { strategy: {} }, status: {} },
  DaemonSet: { spec: { updateStrategy: {} }, status: { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 } },
  StatefulSet: { spec: { updateStrategy: {} }, status: { availableReplicas: 0, replicas: 0 } },
  ReplicaSet: { status: { replicas: 0 } },
  ReplicationController: { status: { replicas: 0 } },
  Job: { status: {} },
  CronJob: { status: {} },
  DeploymentConfig: {
    spec: { strategy: { resources: {} }, test: false },
    status: { availableReplicas: 0, latestVersion: 0, observedGeneration: 0, replicas: 0, unavailableReplicas: 0, updatedReplicas: 0 },
  },
};

/** Why a pod is left alone, or undefined when it gets a sidecar. */
export function skipReason(metadata: PodMetadata | undefined, spec: PodSpec | undefined, namespace: string | undefined): string | undefined {
  if (spec?.hostNetwork) return 'the pod uses the host network';
  const inject = metadata?.labels?.['sidecar.istio.io/inject'] ?? metadata?.annotations?.['sidecar.istio.io/inject'];
  if (inject !== undefined && ['false', 'n', 'no', 'off'].includes(String(inject).toLowerCase())) return 'injection is disabled by sidecar.istio.io/inject';
  if (metadata?.annotations?.['sidecar.istio.io/status']) return 'the pod already has a sidecar';
  if (namespace && KUBERNETES_SYSTEM_NAMESPACES.includes(namespace)) return `Istio never injects into ${namespace}`;
  return undefined;
}

/**
 * `istioctl kube-inject` for one object: workloads and pods get the sidecar in their pod
 * template; Lists are injected item by item; anything else passes through unchanged.
 */
export function injectObject(object: KubeObject, options: InjectionOptions = {}): KubeObject {
  const kind = object.kind ?? '';
  assertWellTyped(object);
  const items = object.items;
  if (kind === 'List' && Array.isArray(items)) {
    return {
      ...object,
      metadata: object.metadata ?? {},
      items: items.map((item: unknown, index) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          throw new MeshformError(`List ${object.metadata?.name ?? ''} items[${index}] is ${JSON.stringify(item)?.slice(0, 40)}, not an object`.replace('List  ', 'List '), {
            fix: 'Remove the item, or give a Kubernetes object with apiVersion and kind.',
          });
        }
        return injectObject(item as KubeObject, options);
      }),
    };
  }
  const owner: PodOwner = {
    apiVersion: object.apiVersion ?? '',
    kind,
    name: object.metadata?.name ?? '',
    namespace: object.metadata?.namespace,
  };
  if (kind === 'Pod') {
    if (skipReason(object.metadata, object.spec, owner.namespace)) return withGoZeroValues({ ...object, spec: withEmptyContainerResources(object.spec) });
    const { metadata, spec } = injectPodTemplate({ metadata: object.metadata, spec: object.spec ?? {} }, controllerOf(object) ?? owner, options);
    return withGoZeroValues({ ...object, metadata, spec });
  }
  if (kind === 'CronJob') return injectCronJob(object, owner, options);
  if (!TEMPLATE_KINDS.has(kind) || !object.spec?.template) return object;
  const template = object.spec.template;
  if (skipReason(template.metadata, template.spec, owner.namespace)) {
    return withGoZeroValues({ ...object, spec: { ...object.spec, template: { ...template, spec: withEmptyContainerResources(template.spec) } } });
  }
  const injected = injectPodTemplate({ metadata: template.metadata ?? {}, spec: template.spec ?? {} }, owner, options);
  return withGoZeroValues({ ...object, spec: { ...object.spec, template: injected } });
}

/**
 * The workload a pod belongs to, from its controller ownerReference: a ReplicaSet made by a
 * Deployment (its name ends in the pod-template-hash) stands for that Deployment.
 */
function controllerOf(pod: KubeObject): PodOwner | undefined {
  const references = ((pod.metadata as { ownerReferences?: unknown })?.ownerReferences ?? []) as readonly Partial<OwnerReference>[];
  const controller = Array.isArray(references) ? references.find((reference) => reference?.controller) : undefined;
  if (!controller?.kind || !controller?.name) return undefined;
  const namespace = pod.metadata?.namespace;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (controller.kind === 'ReplicaSet' && hash && controller.name.endsWith(`-${hash}`)) {
    return { apiVersion: 'apps/v1', kind: 'Deployment', name: controller.name.slice(0, -hash.length - 1), namespace };
  }
  return { apiVersion: controller.apiVersion ?? '', kind: controller.kind, name: controller.name, namespace };
}

function withEmptyContainerResources(spec: PodSpec | undefined): PodSpec | undefined {
  if (!spec) return spec;
  return {
    ...spec,
    containers: (spec.containers ?? []).map(withEmptyResources),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(withEmptyResources) } : {}),
  };
}

/** Injects every object; Lists included. */
export function injectObjects(objects: readonly KubeObject[], options: InjectionOptions = {}): KubeObject[] {
  return objects.map((object) => injectObject(object, options));
}

/**
 * kube-inject writes a CronJob's injected labels and annotations on the jobTemplate's metadata;
 * matching its output byte for byte means doing the same.
 */
function injectCronJob(object: KubeObject, owner: PodOwner, options: InjectionOptions): KubeObject {
  const jobTemplate = object.spec?.jobTemplate ?? {};
  const template = jobTemplate.spec?.template;
  if (!template || skipReason(template.metadata, template.spec, owner.namespace)) return withGoZeroValues(object);
  const injected = injectPodTemplate({ metadata: template.metadata ?? {}, spec: template.spec ?? {} }, owner, options);
  const { labels, annotations, ...templateMetadata } = injected.metadata;
  return withGoZeroValues({
    ...object,
    spec: {
      ...object.spec,
      jobTemplate: {
        ...jobTemplate,
        metadata: { ...jobTemplate.metadata, labels, annotations },
        spec: { ...jobTemplate.spec, template: { metadata: templateMetadata, spec: injected.spec } },
      },
    },
  });
}

/** Workload spec fields Go leaves out when zero (omitempty). */
const OMITTED_WHEN_ZERO = ['paused', 'minReadySeconds'];

function withGoZeroValues(object: KubeObject): KubeObject {
  const zero = GO_ZERO_VALUES[object.kind ?? ''];
  if (!zero) return object;
  const spec = Object.fromEntries(
    Object.entries(object.spec ?? {}).filter(([key, value]) => !(OMITTED_WHEN_ZERO.includes(key) && (value === false || value === 0))),
  );
  return {
    ...object,
    ...(object.spec || zero.spec ? { spec: underlay(spec, zero.spec ?? {}) } : {}),
    status: underlay(object.status ?? {}, zero.status),
  };
}

/** `value` with the fields of `defaults` it lacks, recursively. */
function underlay(value: unknown, defaults: object): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const result: Record<string, unknown> = { ...value };
  for (const [key, fallback] of Object.entries(defaults)) {
    result[key] = key in value ? underlay((value as Record<string, unknown>)[key], fallback as object) : fallback;
  }
  return result;
}

/** Refuses an object whose fields have the wrong type: there is no pod to inject into. */
function assertWellTyped(object: KubeObject): void {
  const wrong = (schemaIssues(object) ?? []).filter((issue) => issue.keyword === 'type');
  if (wrong.length > 0) {
    throw new MeshformError(`${object.kind} ${object.metadata?.name ?? ''}: ${wrong.map((i) => `${i.path} ${i.message}`).join('; ')}`, {
      fix: 'Correct the manifest; kube-inject could not read it either.',
    });
  }
}
