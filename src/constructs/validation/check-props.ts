import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Construct } from 'constructs';
import { MeshformError } from '../../core/index.js';
import { PROP_SCHEMA_DEFINITIONS } from './prop-schemas.js';
import type { PropType } from './prop-types.js';

let ajv: Ajv | undefined;
const validators = new Map<PropType, ValidateFunction>();

// Compiled on first use, once per props type: a program that never builds a gateway never pays for its schema.
function validatorFor(type: PropType): ValidateFunction {
  let validate = validators.get(type);
  if (!validate) {
    ajv ??= propsAjv();
    validate = ajv.getSchema(`meshform-props#/definitions/${encodeURIComponent(type)}`)!;
    validators.set(type, validate);
  }
  return validate;
}

/** An instance of a meshform class, or of a subclass, by name: no import of the class (which imports this file). */
function isInstanceOf(value: unknown, name: string): boolean {
  for (let prototype = value === null || typeof value !== 'object' ? null : Object.getPrototypeOf(value); prototype; prototype = Object.getPrototypeOf(prototype)) {
    if ((prototype as { constructor?: { name?: string } }).constructor?.name === name) return true;
  }
  return false;
}

function propsAjv(): Ajv {
  // Shared definitions compiled once rather than inlined into every props type, and no code
  // optimization pass: compiling is the check's main cost (about 0.1 s a process), each check ~1 µs.
  const instance = new Ajv({ strict: false, allErrors: false, verbose: true, inlineRefs: false, code: { optimize: false } });
  instance.addKeyword({ keyword: 'meshformClass', type: 'object', schemaType: 'string', validate: (name: string, data: unknown) => isInstanceOf(data, name) });
  instance.addSchema({ $id: 'meshform-props', definitions: PROP_SCHEMA_DEFINITIONS });
  return instance;
}

/** `/versions/0/image` as `versions[0].image`, under `prefix`. */
function fieldOf(pointer: string, prefix: string): string {
  let field = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    field += /^\d+$/.test(segment) ? `[${segment}]` : /^[A-Za-z_$][\w$]*$/.test(segment) ? `${field ? '.' : ''}${segment}` : `['${segment}']`;
  }
  return field;
}

function shown(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const EXPECTED: Readonly<Record<string, string>> = { string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', object: 'an object', array: 'a list', null: 'null' };

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const segment of pointer.split('/').slice(1)) value = (value as Record<string, unknown> | undefined)?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  return value;
}

/** The one error to report: the deepest, so a union's wrong member names the field inside it. */
function describe(errors: readonly ErrorObject[], root: unknown, prefix: string): { field: string; problem: string; fix: string } {
  const error = [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0]!;
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { field: fieldOf(`${error.instancePath}/${missing}`, prefix), problem: `${missing} is required`, fix: `Give ${missing}.` };
  }
  const field = fieldOf(error.instancePath, prefix);
  const value = valueAt(root, error.instancePath);
  if (error.keyword === 'enum' || error.keyword === 'const') {
    const allowed = error.keyword === 'enum' ? (error.params as { allowedValues: unknown[] }).allowedValues : [(error.params as { allowedValue: unknown }).allowedValue];
    const choices = allowed.map((item) => (typeof item === 'string' ? `'${item}'` : JSON.stringify(item)));
    return { field, problem: `${shown(value)} is not one of ${choices.join(', ')}`, fix: `Use ${choices.join(' or ')}.` };
  }
  if (error.keyword === 'meshformClass' || error.keyword === 'type') {
    const types = String((error.params as { type: string | string[] }).type).split(',');
    // A class's instances are checked as objects; the message names the class.
    const title = (error.parentSchema as { title?: string } | undefined)?.title;
    if (title) return { field, problem: `${shown(value)} is not a ${title}`, fix: `Give a ${title} (made with its constructor or factory methods).` };
    return { field, problem: `${shown(value)} is not ${types.map((type) => EXPECTED[type] ?? type).join(' or ')}`, fix: 'Give a value of the type the props declare.' };
  }
  return { field, problem: `${shown(value)} is none of the forms the field takes`, fix: 'Give a value of one of the types the props declare.' };
}

/**
 * Checks `value` against the declared type of a props or options interface, as TypeScript would
 * have: the check a JavaScript caller (or a value cast with `as any`) does not get at compile time.
 * Throws a MeshformError naming the construct and the field.
 */
export function checkProps<T>(value: T, type: PropType, construct: string, prefix = ''): T {
  const validate = validatorFor(type);
  if (validate(value ?? {})) return value;
  const { field, problem, fix } = describe(validate.errors ?? [], value ?? {}, prefix);
  throw new MeshformError(problem, { construct, field: field || prefix || undefined, fix });
}

/** Checks a construct's scope, id and props before the construct is created: `super(scope, id, constructProps(...))`. */
export function constructProps<T>(scope: Construct, id: string, props: T, type: PropType): T {
  const name = typeof id === 'string' ? id : String(id);
  if (!Construct.isConstruct(scope)) {
    throw new MeshformError(`the scope is ${shown(scope)}, not a construct`, { construct: name, fix: 'Create the construct in a Chart (or another construct): new X(chart, id, props).' });
  }
  const path = scope.node.path ? `${scope.node.path}/${name}` : name;
  if (typeof id !== 'string' || id === '') {
    throw new MeshformError(`the id is ${shown(id)}, not a name`, { construct: path, fix: 'Give the construct a non-empty string id.' });
  }
  if (props !== undefined && (props === null || typeof props !== 'object')) {
    throw new MeshformError(`the props are ${shown(props)}, not an object`, { construct: path, fix: `Give the ${type} as an object.` });
  }
  return checkProps(props, type, path);
}

/** The same checks, for a construct whose props do not go to its base class: `super(scope, checkedId(...))`. */
export function checkedId(scope: Construct, id: string, props: unknown, type: PropType): string {
  constructProps(scope, id, props, type);
  return id;
}
