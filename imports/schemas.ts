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
  const key = `${String(manifest.apiVersion)}/${String(manifest.kind)}`;
  const model = models().get(key);
  if (!model) return undefined;
  return [...typeIssues(model, manifest), ...unknownFields(key, model, manifest)];
}

function typeIssues(model: ModelClass, manifest: object): SchemaIssue[] {
  try {
    // In place first: the schemas only read it, and a copy costs more than the check.
    model.prototype.validate.call(manifest);
    return [];
  } catch {
    // Fall through: the model's copy drops undefined fields, which a JSON manifest would not have.
  }
  try {
    new model(manifest).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvLikeError[] }).errors;
    if (!Array.isArray(errors)) return [{ path: '', message: String((error as Error).message ?? error) }];
    return errors.map(describe);
  }
}

/**
 * What the schema of one object node declares: its property names, or `free` for a map or an
 * object that keeps unknown fields (`x-kubernetes-preserve-unknown-fields`).
 */
interface NodeSchema {
  readonly known: Set<string>;
  free: boolean;
}

/** Per `apiVersion/Kind`, the node schemas learnt so far, by path with array indices as `*`. */
const learnt = new Map<string, Map<string, NodeSchema>>();

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Fields the schema does not declare, which Kubernetes' structural schemas (and `kubectl apply`'s
 * strict field validation) refuse. The compiled upstream validators read every property their
 * schema declares and enumerate only maps, so one validation of an object through a recording
 * proxy tells the declared properties of each node it reaches; they are learnt once per kind and
 * path, and only objects with a node not seen before are validated that way.
 */
function unknownFields(key: string, model: ModelClass, manifest: object): SchemaIssue[] {
  const schemas = learnt.get(key) ?? new Map<string, NodeSchema>();
  learnt.set(key, schemas);
  const unknown: SchemaIssue[] = [];
  let learnedFrom = false;
  const visit = (value: unknown, path: string, pointer: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}/*`, `${pointer}/${index}`));
      return;
    }
    if (!isPlainObject(value)) return;
    const keys = Object.keys(value);
    if (keys.length === 0) return;
    let schema = schemas.get(path);
    if (!schema && !learnedFrom) {
      learnedFrom = true;
      learn(model, manifest, schemas);
      schema = schemas.get(path);
    }
    // A node the validator never reached (under a field of the wrong type) is not judged.
    if (!schema || schema.free) return;
    for (const field of keys) {
      if (schema.known.has(field)) visit(value[field], `${path}/${field}`, `${pointer}/${escapePointer(field)}`);
      else unknown.push({ path: `${pointer}/${escapePointer(field)}`, message: `has unknown field "${field}"`, keyword: 'additionalProperties' });
    }
  };
  visit(manifest, '', '');
  return unknown;
}

const escapePointer = (field: string) => field.replace(/~/g, '~0').replace(/\//g, '~1');

/** Validates `manifest` through proxies that record which properties each node's validator reads. */
function learn(model: ModelClass, manifest: object, schemas: Map<string, NodeSchema>): void {
  const nodeAt = (path: string): NodeSchema => {
    let node = schemas.get(path);
    if (!node) schemas.set(path, (node = { known: new Set(), free: false }));
    return node;
  };
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return new Proxy(value, { get: (target, property) => (typeof property === 'string' && /^\d+$/.test(property) ? wrap(target[Number(property)], `${path}/*`) : Reflect.get(target, property)) });
    const node = nodeAt(path);
    const record = (property: string | symbol) => {
      if (typeof property === 'string') node.known.add(property);
    };
    return new Proxy(value, {
      get: (target, property) => {
        record(property);
        const child = Reflect.get(target, property);
        return typeof property === 'string' ? wrap(child, `${path}/${property}`) : child;
      },
      has: (target, property) => (record(property), Reflect.has(target, property)),
      getOwnPropertyDescriptor: (target, property) => (record(property), Reflect.getOwnPropertyDescriptor(target, property)),
      ownKeys: (target) => {
        // Only maps (additionalProperties) are enumerated: their keys are the user's own.
        node.free = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  try {
    model.prototype.validate.call(wrap(manifest, ''));
  } catch {
    // Type errors are typeIssues' to report; the recording is what matters here.
  }
  // A node read for no property at all declares none: it is free-form.
  for (const node of schemas.values()) if (node.known.size === 0) node.free = true;
}

function describe(error: AjvLikeError): SchemaIssue {
  const path = error.instancePath ?? '';
  const allowed = error.params?.allowedValues;
  const detail = Array.isArray(allowed) ? ` (${allowed.map(String).join(', ')})` : '';
  return { path, message: `${error.message ?? 'is invalid'}${detail}`, ...(error.keyword ? { keyword: error.keyword } : {}) };
}
