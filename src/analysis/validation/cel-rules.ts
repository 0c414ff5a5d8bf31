/**
 * The CRDs' own `x-kubernetes-validations` rules, evaluated as the API server evaluates them on
 * create: object and schema walked together, schema defaults applied first, each rule with `self`
 * bound to its node's value (property names escaped as Kubernetes escapes them, integers as CEL
 * ints), a false result or a runtime error rejecting the object with the rule's message.
 * Transition rules (those reading `oldSelf`) only apply to updates and are not evaluated.
 */
import { isCelError } from '@bufbuild/cel';
import { BUNDLED_PACKS, bundledPack, type CelRule, type CrdSchemaPack, type StructuralSchema } from '../../../imports/crd-schemas.js';
import type { KubeObject } from '../../core/index.js';
import { compileRule } from './cel-environment.js';

/** One broken rule: the field (dotted path, `[i]` for list items) and the CRD's message. */
export interface RuleViolation {
  readonly path: string;
  readonly message: string;
}

/**
 * The schema of an object's apiVersion and kind: from `given` (the CRDs of the cluster, when the
 * caller has them) before the bundled packs.
 */
export function schemaOf(object: { apiVersion?: unknown; kind?: unknown }, given?: CrdSchemaPack): StructuralSchema | undefined {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  if (given?.kinds[key]) return given.kinds[key];
  for (const name of BUNDLED_PACKS) {
    const schema = bundledPack(name).kinds[key];
    if (schema) return schema;
  }
  return undefined;
}

/** The CRD rules `object` breaks, by the given and the bundled CRDs; none for kinds they do not cover. */
export function celRuleViolations(object: KubeObject, given?: CrdSchemaPack): RuleViolation[] {
  const schema = schemaOf(object, given);
  return schema ? violationsOf(object, schema) : [];
}

/** The rules of `pack` that `object` breaks (for CRDs other than the bundled ones). */
export function celRuleViolationsIn(object: KubeObject, pack: CrdSchemaPack): RuleViolation[] {
  const schema = pack.kinds[`${String(object.apiVersion)}/${String(object.kind)}`];
  return schema ? violationsOf(object, schema) : [];
}

function violationsOf(object: KubeObject, schema: StructuralSchema): RuleViolation[] {
  if (!hasRulesBelow(schema)) return [];
  const found: RuleViolation[] = [];
  walk(withDefaults(object, schema), schema, '', found, new WeakMap());
  return found;
}

/**
 * A test of a schema node that holds when it holds for the node or any node under it, computed
 * once per node: which subtrees hold rules, which hold defaults.
 */
function anywhereBelow(holdsHere: (schema: StructuralSchema) => boolean): (schema: StructuralSchema | undefined) => boolean {
  const known = new WeakMap<StructuralSchema, boolean>();
  const below = (schema: StructuralSchema | undefined): boolean => {
    if (!schema) return false;
    let holds = known.get(schema);
    if (holds === undefined) {
      const children = [...Object.values(schema.properties ?? {}), schema.items, typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined];
      holds = holdsHere(schema) || children.some(below);
      known.set(schema, holds);
    }
    return holds;
  };
  return below;
}

/** True when the node or a node under it states rules: other subtrees need neither defaults nor a walk. */
const hasRulesBelow = anywhereBelow((schema) => (schema['x-kubernetes-validations'] ?? []).length > 0);

/** True when a property of the node or of a node under it has a default. */
const hasDefaultsBelow = anywhereBelow((schema) => Object.values(schema.properties ?? {}).some((property) => property.default !== undefined));

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A copy of `value` with the schema's defaults filled in where a field is absent, as the API server does before validating. */
function withDefaults(value: unknown, schema: StructuralSchema | undefined): unknown {
  // Only rules read defaults, and only defaults change anything: other subtrees are kept as they are.
  if (!schema || !hasRulesBelow(schema) || !hasDefaultsBelow(schema)) return value;
  if (Array.isArray(value)) return value.map((item) => withDefaults(item, schema.items));
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const fieldSchema = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    result[key] = withDefaults(field, fieldSchema);
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (result[key] === undefined && property.default !== undefined) result[key] = withDefaults(structuredClone(property.default), property);
  }
  return result;
}

/** CEL values already made of a JSON value, so that nested rules do not convert a subtree again. */
type Converted = WeakMap<object, unknown>;

function walk(value: unknown, schema: StructuralSchema, path: string, found: RuleViolation[], converted: Converted): void {
  if (value === undefined || value === null || !hasRulesBelow(schema)) return;
  for (const rule of schema['x-kubernetes-validations'] ?? []) evaluate(rule, value, schema, path, found, converted);
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, index) => walk(item, schema.items!, `${path}[${index}]`, found, converted));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, field] of Object.entries(value)) {
    const property = schema.properties?.[key];
    if (property) walk(field, property, path ? `${path}.${key}` : key, found, converted);
    else if (typeof schema.additionalProperties === 'object') walk(field, schema.additionalProperties, `${path}[${key}]`, found, converted);
  }
}

function evaluate(rule: CelRule, value: unknown, schema: StructuralSchema, path: string, found: RuleViolation[], converted: Converted): void {
  // A transition rule compares with the stored object, which a create does not have.
  if (isTransitionRule(rule)) return;
  const at = rule.fieldPath ? `${path}${rule.fieldPath.startsWith('[') ? '' : '.'}${rule.fieldPath.replace(/^\./, '')}` : path;
  const compiled = compileRule(rule.rule);
  if ('error' in compiled) {
    found.push({ path: at, message: `the CRD rule ${JSON.stringify(rule.rule)} cannot be evaluated: it ${compiled.error}` });
    return;
  }
  // A rule's verdict depends on its value alone: objects that repeat a value (every team's copy of
  // the same policy) are judged once.
  const verdicts = verdictsOf(rule);
  const key = valueKey(value);
  let message = key === undefined ? undefined : verdicts.get(key);
  if (message === undefined) {
    const self = toCel(value, schema, converted);
    const result = compiled.evaluate(self);
    message = result === true ? null : isCelError(result) ? `${rule.message ?? `failed rule: ${rule.rule}`} (the rule fails to evaluate: ${result.message})` : messageOf(rule, self);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    if (key !== undefined) verdicts.set(key, message);
  }
  if (message !== null) found.push({ path: at, message });
}

/** Per rule, the message for each value judged (null when the rule holds), by valueKey. */
const ruleVerdicts = new WeakMap<CelRule, Map<string, string | null>>();
const MAX_VERDICTS = 20_000;

function verdictsOf(rule: CelRule): Map<string, string | null> {
  let verdicts = ruleVerdicts.get(rule);
  if (!verdicts) ruleVerdicts.set(rule, (verdicts = new Map()));
  return verdicts;
}

/**
 * A value's JSON, or undefined (not cached) when JSON would not tell it from another: a `null` in
 * it may have been NaN or an infinity, and an object that refers to itself has no JSON. (−0 and 0,
 * both written 0, are equal to CEL.)
 */
function valueKey(value: unknown): string | undefined {
  try {
    const key = JSON.stringify(value);
    return key === undefined || key.includes('null') ? undefined : key;
  } catch {
    return undefined;
  }
}

const transitionRules = new WeakMap<CelRule, boolean>();

function isTransitionRule(rule: CelRule): boolean {
  let known = transitionRules.get(rule);
  if (known === undefined) transitionRules.set(rule, (known = /\boldSelf\b/.test(rule.rule)));
  return known;
}

function messageOf(rule: CelRule, self: unknown): string {
  if (rule.messageExpression) {
    const compiled = compileRule(rule.messageExpression);
    if (!('error' in compiled)) {
      const message = compiled.evaluate(self);
      if (typeof message === 'string' && message.trim() !== '') return message;
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** CEL's reserved words; a property of that name is written `__name__` in rules. */
const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** A property name as rules see it, or undefined when rules cannot name it (Kubernetes' escaping). */
function escapedName(name: string): string | undefined {
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/**
 * A JSON value as a CEL value of the schema's type: integers as ints, objects as maps. Each object
 * is converted once, and registered before its children, so that YAML aliases forming a cycle end.
 */
function toCel(value: unknown, schema: StructuralSchema | undefined, converted: Converted = new WeakMap()): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    const integer = schema ? schema.type === 'integer' || (schema['x-kubernetes-int-or-string'] === true && Number.isInteger(value)) : Number.isInteger(value);
    return integer && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value !== 'object') return value;
  if (converted.has(value)) return converted.get(value);
  if (Array.isArray(value)) {
    const list: unknown[] = [];
    converted.set(value, list);
    for (const item of value) list.push(toCel(item, schema?.items, converted));
    return list;
  }
  const map = new Map<string, unknown>();
  converted.set(value, map);
  for (const [key, field] of Object.entries(value)) {
    const property = schema?.properties?.[key];
    if (property) {
      const name = escapedName(key);
      if (name !== undefined) map.set(name, toCel(field, property, converted));
    } else if (schema && typeof schema.additionalProperties === 'object') {
      map.set(key, toCel(field, schema.additionalProperties, converted));
    } else if (!schema || schema['x-kubernetes-preserve-unknown-fields'] || schema.additionalProperties === true) {
      map.set(key, toCel(field, undefined, converted));
    }
  }
  return map;
}
