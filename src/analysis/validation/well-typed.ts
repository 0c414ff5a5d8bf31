import { isKnownGroup, type SchemaIssue, schemaIssues } from '../../../imports/schemas.js';
import { kindKey, type KubeObject } from '../../core/index.js';

const checked = new WeakMap<KubeObject, SchemaIssue[] | undefined>();

/** Schema issues of an object, computed once per object: the analyzer treats its input as immutable. */
export function cachedSchemaIssues(object: KubeObject): SchemaIssue[] | undefined {
  if (!checked.has(object)) checked.set(object, schemaIssues(object));
  return checked.get(object);
}

/**
 * The objects whose fields have the types their schema says. An object with a field of the
 * wrong type would not even parse into Istio's types, so only the schema check looks at it;
 * everything else can rely on the types of the fields it reads.
 */
export function wellTyped(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter(isWellTyped);
}

/** True when every field of `object` has the type its schema says (see wellTyped). */
export function isWellTyped(object: KubeObject): boolean {
  const issues = cachedSchemaIssues(object);
  // A group with schemas but no schema for this version and kind: nothing could parse the object.
  if (issues === undefined) return !isKnownGroup(kindKey(object).split('/')[0]!);
  return !issues.some((issue) => issue.keyword === 'type');
}
