/**
 * Schema validation of synthesized objects with the upstream JSON schemas: kubernetes-models for
 * core kinds, @kubernetes-models/istio for Istio kinds, @kubernetes-models/keda for KEDA's ScaledObject.
 */
import * as kedaV1alpha1 from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as istioNetworking from '@kubernetes-models/istio/networking.istio.io/v1';
import * as istioSecurity from '@kubernetes-models/istio/security.istio.io/v1';
import * as istioTelemetry from '@kubernetes-models/istio/telemetry.istio.io/v1';
import * as istioTelemetryAlpha from '@kubernetes-models/istio/telemetry.istio.io/v1alpha1';
import * as istioNetworkingAlpha from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import * as istioNetworkingBeta from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import * as istioSecurityBeta from '@kubernetes-models/istio/security.istio.io/v1beta1';
import * as apiextensionsV1 from 'kubernetes-models/apiextensions.k8s.io/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';

/** One schema violation: where in the object, and what is wrong. */
export interface SchemaIssue {
  /** JSON pointer into the object, e.g. `/spec/http/0/route/0/weight`. */
  readonly path: string;
  readonly message: string;
  /** The JSON-schema keyword that failed (`type`, `required`, `enum`, …). */
  readonly keyword?: string;
}

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: object): { validate(): void };
}

interface AjvLikeError {
  readonly instancePath?: string;
  readonly message?: string;
  readonly keyword?: string;
  readonly params?: Record<string, unknown>;
}

const MODULES: readonly Record<string, unknown>[] = [
  coreV1,
  appsV1,
  batchV1,
  autoscalingV2,
  policyV1,
  networkingV1,
  rbacV1,
  apiextensionsV1,
  istioNetworking,
  istioNetworkingBeta,
  istioNetworkingAlpha,
  istioSecurity,
  istioSecurityBeta,
  istioTelemetry,
  istioTelemetryAlpha,
  kedaV1alpha1,
];

function isModelClass(value: unknown): value is ModelClass {
  return (
    typeof value === 'function' &&
    typeof (value as Partial<ModelClass>).apiVersion === 'string' &&
    typeof (value as Partial<ModelClass>).kind === 'string'
  );
}

let registry: Map<string, ModelClass> | undefined;

function models(): Map<string, ModelClass> {
  if (!registry) {
    registry = new Map();
    for (const module of MODULES) {
      for (const value of Object.values(module)) {
        if (isModelClass(value) && !value.kind.endsWith('List')) registry.set(`${value.apiVersion}/${value.kind}`, value);
      }
    }
  }
  return registry;
}

/**
 * True when schemas are known for some version of this API group (`''` for the core group): an
 * object of such a group whose version and kind have no schema is not a Kubernetes object at all.
 */
export function isKnownGroup(group: string): boolean {
  // Keys are `group/version/Kind`, or `version/Kind` for the core group.
  if (!groups) groups = new Set([...models().keys()].map((key) => key.split('/')).map((parts) => (parts.length === 3 ? parts[0]! : '')));
  return groups.has(group);
}

let groups: Set<string> | undefined;

/** True when a schema is known for this apiVersion and kind. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return models().has(`${apiVersion}/${kind}`);
}

/**
 * Validates one manifest against its upstream schema. Returns the violations (empty when valid),
 * or undefined when no schema is known for its apiVersion/kind.
 */
export function schemaIssues(manifest: { apiVersion?: unknown; kind?: unknown }): SchemaIssue[] | undefined {
  const model = models().get(`${String(manifest.apiVersion)}/${String(manifest.kind)}`);
  if (!model) return undefined;
  try {
    // In place first: the schemas only read it, and a copy costs more than the check.
    model.prototype.validate.call(manifest);
    return [];
  } catch {
    // Fall through: the model's copy drops undefined fields, which a JSON manifest would not have.
  }
  try {
    new model(manifest as object).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvLikeError[] }).errors;
    if (!Array.isArray(errors)) return [{ path: '', message: String((error as Error).message ?? error) }];
    return errors.map(describe);
  }
}

function describe(error: AjvLikeError): SchemaIssue {
  const path = error.instancePath ?? '';
  const allowed = error.params?.allowedValues;
  const detail = Array.isArray(allowed) ? ` (${allowed.map(String).join(', ')})` : '';
  return { path, message: `${error.message ?? 'is invalid'}${detail}`, ...(error.keyword ? { keyword: error.keyword } : {}) };
}
