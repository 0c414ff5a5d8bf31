/**
 * Schema validation of synthesized objects with the upstream JSON schemas: kubernetes-models for
 * core kinds, @kubernetes-models/istio for Istio kinds, @kubernetes-models/gateway-api for the Gateway
 * API's, @kubernetes-models/cert-manager for cert-manager's Certificate, @kubernetes-models/keda for
 * KEDA's ScaledObject.
 */
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

/** Where the models of each apiVersion are: a package folder with one module per kind. */
const MODEL_SOURCES: ReadonlyMap<string, string> = new Map([
  ['v1', 'kubernetes-models/v1'],
  ['apps/v1', 'kubernetes-models/apps/v1'],
  ['batch/v1', 'kubernetes-models/batch/v1'],
  ['autoscaling/v2', 'kubernetes-models/autoscaling/v2'],
  ['policy/v1', 'kubernetes-models/policy/v1'],
  ['networking.k8s.io/v1', 'kubernetes-models/networking.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1', 'kubernetes-models/rbac.authorization.k8s.io/v1'],
  ['apiextensions.k8s.io/v1', 'kubernetes-models/apiextensions.k8s.io/v1'],
  ['networking.istio.io/v1', '@kubernetes-models/istio/networking.istio.io/v1'],
  ['networking.istio.io/v1beta1', '@kubernetes-models/istio/networking.istio.io/v1beta1'],
  ['networking.istio.io/v1alpha3', '@kubernetes-models/istio/networking.istio.io/v1alpha3'],
  ['security.istio.io/v1', '@kubernetes-models/istio/security.istio.io/v1'],
  ['security.istio.io/v1beta1', '@kubernetes-models/istio/security.istio.io/v1beta1'],
  ['telemetry.istio.io/v1', '@kubernetes-models/istio/telemetry.istio.io/v1'],
  ['telemetry.istio.io/v1alpha1', '@kubernetes-models/istio/telemetry.istio.io/v1alpha1'],
  ['keda.sh/v1alpha1', '@kubernetes-models/keda/keda.sh/v1alpha1'],
  ['gateway.networking.k8s.io/v1', '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1'],
  ['gateway.networking.k8s.io/v1beta1', '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1'],
  ['gateway.networking.k8s.io/v1alpha2', '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2'],
  ['gateway.networking.k8s.io/v1alpha3', '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha3'],
  ['gateway.networking.x-k8s.io/v1alpha1', '@kubernetes-models/gateway-api/gateway.networking.x-k8s.io/v1alpha1'],
  ['cert-manager.io/v1', '@kubernetes-models/cert-manager/cert-manager.io/v1'],
]);

function isModelClass(value: unknown): value is ModelClass {
  return (
    typeof value === 'function' &&
    typeof (value as Partial<ModelClass>).apiVersion === 'string' &&
    typeof (value as Partial<ModelClass>).kind === 'string'
  );
}

/** Models by `apiVersion/Kind`; null for a kind none of the packages has. */
const registry = new Map<string, ModelClass | null>();
/** Every bundled model is registered (imports/schema-models.ts was loaded). */
let complete = false;

/** Adds the model classes of module namespaces (a group-version's index, or one kind's module). */
export function registerModels(modules: readonly Record<string, unknown>[], all = false): void {
  for (const module of modules) {
    for (const value of Object.values(module)) {
      if (isModelClass(value) && !value.kind.endsWith('List')) registry.set(`${value.apiVersion}/${value.kind}`, value);
    }
  }
  complete ||= all;
}

/**
 * Loads the models of these objects' kinds, each from its own module: a few kinds load in a
 * fraction of the time every bundled model takes (about 0.3 s), which a command line pays on
 * every run. Afterwards schemaIssues and hasSchema answer for these kinds.
 */
export async function loadSchemasFor(objects: Iterable<{ apiVersion?: unknown; kind?: unknown }>): Promise<void> {
  if (complete) return;
  const wanted = new Map<string, { apiVersion: string; kind: string }>();
  for (const object of objects) {
    const key = `${String(object.apiVersion)}/${String(object.kind)}`;
    if (!registry.has(key)) wanted.set(key, { apiVersion: String(object.apiVersion), kind: String(object.kind) });
  }
  await Promise.all(
    [...wanted].map(async ([key, { apiVersion, kind }]) => {
      const source = MODEL_SOURCES.get(apiVersion);
      // A kind is a module name only when it is a plain identifier.
      if (source && /^[A-Za-z][A-Za-z0-9]*$/.test(kind) && !kind.endsWith('List')) {
        try {
          registerModels([(await import(`${source}/${kind}`)) as Record<string, unknown>]);
        } catch {
          // No such kind in the package: no schema, as for an unknown kind below.
        }
      }
      if (!registry.has(key)) registry.set(key, null);
    }),
  );
}

function modelOf(key: string): ModelClass | undefined {
  const model = registry.get(key);
  if (model === undefined && !complete) throw new Error(`the schema of ${key} was not loaded (loadSchemasFor, or import imports/schema-models.js)`);
  return model ?? undefined;
}

/**
 * True when schemas are known for some version of this API group (`''` for the core group): an
 * object of such a group whose version and kind have no schema is not a Kubernetes object at all.
 */
export function isKnownGroup(group: string): boolean {
  // Keys are `group/version/Kind`, or `version/Kind` for the core group.
  if (!groups) groups = new Set([...MODEL_SOURCES.keys()].map((apiVersion) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '')));
  return groups.has(group);
}

let groups: Set<string> | undefined;

/** True when a schema is known for this apiVersion and kind. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return modelOf(`${apiVersion}/${kind}`) !== undefined;
}

/**
 * Validates one manifest against its upstream schema. Returns the violations (empty when valid),
 * or undefined when no schema is known for its apiVersion/kind.
 */
export function schemaIssues(manifest: { apiVersion?: unknown; kind?: unknown }): SchemaIssue[] | undefined {
  const key = `${String(manifest.apiVersion)}/${String(manifest.kind)}`;
  const model = modelOf(key);
  if (!model) return undefined;
  return [...typeIssues(model, manifest), ...unknownFields(key, model, manifest)];
}

function typeIssues(model: ModelClass, manifest: object): SchemaIssue[] {
  let inPlace: unknown;
  try {
    // In place first: the schemas only read it, and a copy costs more than the check.
    model.prototype.validate.call(manifest);
    return [];
  } catch (error) {
    // Fall through: the model's copy drops undefined fields, which a JSON manifest would not have.
    inPlace = error;
  }
  try {
    new model(manifest).validate();
    return [];
  } catch (copyError) {
    // A YAML alias that makes the object its own descendant cannot be copied: keep what the check in place found.
    const error = copyError instanceof RangeError ? inPlace : copyError;
    const errors = (error as { errors?: AjvLikeError[] }).errors;
    if (!Array.isArray(errors)) return [{ path: '', message: String((error as Error).message ?? error) }];
    return errors.map(describe);
  }
}

/**
 * What the schema says of one node, as learnt from its validator: the properties it reads (each
 * with the node of its value), whether it enumerates the keys (a map, or an object that keeps
 * unknown fields), and whether it was reached at all.
 */
interface SchemaNode {
  readonly fields: Map<string, SchemaNode>;
  /** The node of an array's items. */
  items?: SchemaNode;
  enumerated: boolean;
  seen: boolean;
}

const newNode = (): SchemaNode => ({ fields: new Map(), enumerated: false, seen: false });

/** Per `apiVersion/Kind`, the root of the schema nodes learnt so far. */
const learnt = new Map<string, SchemaNode>();

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Fields the schema does not declare, which Kubernetes' structural schemas (and `kubectl apply`'s
 * strict field validation) refuse. The compiled upstream validators read every property their
 * schema declares and enumerate only maps, so one validation of an object through recording
 * proxies tells the declared properties of each node it reaches. They are learnt once per kind and
 * node; only an object that reaches a node not seen before is validated that way again.
 */
function unknownFields(key: string, model: ModelClass, manifest: object): SchemaIssue[] {
  let root = learnt.get(key);
  if (!root) learnt.set(key, (root = newNode()));
  const schema = root;
  const unknown: SchemaIssue[] = [];
  const trail: string[] = [];
  let learnedFrom = false;
  // YAML aliases can make an object its own descendant; each object is judged once.
  const visited = new Set<object>();
  const visit = (value: unknown, node: SchemaNode): void => {
    if (value !== null && typeof value === 'object') {
      if (visited.has(value)) return;
      visited.add(value);
    }
    if (Array.isArray(value)) {
      node.items ??= newNode();
      for (let index = 0; index < value.length; index++) {
        trail.push(String(index));
        visit(value[index], node.items);
        trail.pop();
      }
      return;
    }
    if (!isPlainObject(value)) return;
    if (!node.seen && !learnedFrom) {
      learnedFrom = true;
      learn(model, manifest, schema);
    }
    // A node the validator never reached (under a field of the wrong type) is not judged; one
    // that reads no property at all declares none, and takes any.
    if (!node.seen || node.enumerated || node.fields.size === 0) return;
    for (const field in value) {
      const child = node.fields.get(field);
      trail.push(field);
      if (child) visit(value[field], child);
      else unknown.push({ path: `/${trail.map(escapePointer).join('/')}`, message: `has unknown field "${field}"`, keyword: 'additionalProperties' });
      trail.pop();
    }
  };
  visit(manifest, schema);
  return unknown;
}

const escapePointer = (field: string) => field.replace(/~/g, '~0').replace(/\//g, '~1');

/** Validates `manifest` through proxies that record which properties each node's validator reads. */
function learn(model: ModelClass, manifest: object, root: SchemaNode): void {
  const wrap = (value: unknown, node: SchemaNode): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const items = (node.items ??= newNode());
      return new Proxy(value, { get: (target, property) => (typeof property === 'string' && /^\d+$/.test(property) ? wrap(target[Number(property)], items) : Reflect.get(target, property)) });
    }
    node.seen = true;
    const child = (property: string | symbol): SchemaNode | undefined => {
      if (typeof property !== 'string') return undefined;
      let found = node.fields.get(property);
      if (!found) node.fields.set(property, (found = newNode()));
      return found;
    };
    return new Proxy(value, {
      get: (target, property) => {
        const next = child(property);
        const field = Reflect.get(target, property);
        return next ? wrap(field, next) : field;
      },
      has: (target, property) => (child(property), Reflect.has(target, property)),
      getOwnPropertyDescriptor: (target, property) => (child(property), Reflect.getOwnPropertyDescriptor(target, property)),
      ownKeys: (target) => {
        // Only maps (additionalProperties) are enumerated: their keys are the user's own.
        node.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  try {
    model.prototype.validate.call(wrap(manifest, root));
  } catch {
    // Type errors are typeIssues' to report; the recording is what matters here.
  }
}

function describe(error: AjvLikeError): SchemaIssue {
  const path = error.instancePath ?? '';
  const allowed = error.params?.allowedValues;
  const detail = Array.isArray(allowed) ? ` (${allowed.map(String).join(', ')})` : '';
  return { path, message: `${error.message ?? 'is invalid'}${detail}`, ...(error.keyword ? { keyword: error.keyword } : {}) };
}
