import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/** A synthesized Kubernetes object, with Pulumi inputs where the user gave Outputs. */
export interface ResourceManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

type ResourceConstructor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** Kinds @pulumi/kubernetes has a typed class for; anything else is a CustomResource. */
const TYPED_KINDS: ReadonlyMap<string, ResourceConstructor> = new Map<string, ResourceConstructor>([
  ['v1/Namespace', k8s.core.v1.Namespace],
  ['v1/Service', k8s.core.v1.Service],
  ['v1/ServiceAccount', k8s.core.v1.ServiceAccount],
  ['v1/ConfigMap', k8s.core.v1.ConfigMap],
  ['v1/Secret', k8s.core.v1.Secret],
  ['v1/Pod', k8s.core.v1.Pod],
  ['v1/PersistentVolumeClaim', k8s.core.v1.PersistentVolumeClaim],
  ['apps/v1/Deployment', k8s.apps.v1.Deployment],
  ['apps/v1/StatefulSet', k8s.apps.v1.StatefulSet],
  ['apps/v1/DaemonSet', k8s.apps.v1.DaemonSet],
  ['apps/v1/ReplicaSet', k8s.apps.v1.ReplicaSet],
  ['batch/v1/Job', k8s.batch.v1.Job],
  ['batch/v1/CronJob', k8s.batch.v1.CronJob],
  ['policy/v1/PodDisruptionBudget', k8s.policy.v1.PodDisruptionBudget],
  ['autoscaling/v2/HorizontalPodAutoscaler', k8s.autoscaling.v2.HorizontalPodAutoscaler],
  ['networking.k8s.io/v1/NetworkPolicy', k8s.networking.v1.NetworkPolicy],
  ['rbac.authorization.k8s.io/v1/Role', k8s.rbac.v1.Role],
  ['rbac.authorization.k8s.io/v1/RoleBinding', k8s.rbac.v1.RoleBinding],
  ['rbac.authorization.k8s.io/v1/ClusterRole', k8s.rbac.v1.ClusterRole],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', k8s.rbac.v1.ClusterRoleBinding],
  ['apiextensions.k8s.io/v1/CustomResourceDefinition', k8s.apiextensions.v1.CustomResourceDefinition],
]);

/** Kinds whose pods Istio's webhook must see to inject a sidecar. */
const POD_TEMPLATE_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

/** True for kinds served by Istio's CRDs (networking.istio.io, security.istio.io, …). */
export function isIstioKind(manifest: ResourceManifest): boolean {
  return /^[a-z.]+\.istio\.io\//.test(manifest.apiVersion);
}

/** True for kinds that create pods. */
export function createsPods(manifest: ResourceManifest): boolean {
  return POD_TEMPLATE_KINDS.has(manifest.kind);
}

/** Registers one object as its own Pulumi resource: typed where the SDK has the kind. */
export function newKubernetesResource(
  name: string,
  manifest: ResourceManifest,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  const typed = TYPED_KINDS.get(`${manifest.apiVersion}/${manifest.kind}`);
  if (typed) return new typed(name, manifest, opts);
  return new k8s.apiextensions.CustomResource(name, manifest as k8s.apiextensions.CustomResourceArgs, opts);
}
