import { parse, parseAllDocuments } from 'yaml';
import { MeshformError } from '../errors.js';
import type { KubeObject } from './kube-object.js';

/**
 * Parses multi-document YAML (or JSON) into its documents as written (a List stays a List; empty
 * documents and scalars are dropped). Throws a MeshformError that names the source and the line
 * when the text is not YAML.
 */
export function parseDocuments(text: string, source = 'input'): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text, { uniqueKeys: false })) {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new MeshformError(`${source}${line ? `:${line}` : ''} is not valid YAML: ${error.message.split('\n')[0]}`, {
        fix: 'Fix the YAML syntax at that line.',
      });
    }
    const value: unknown = document.toJS({ maxAliasCount: 1000 });
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) objects.push(value as KubeObject);
  }
  return objects;
}

/** Expands `kind: List` (and `*List`) objects into their items, recursively. */
export function flattenLists(objects: readonly unknown[]): KubeObject[] {
  const result: KubeObject[] = [];
  for (const object of objects) {
    if (object === null || typeof object !== 'object' || Array.isArray(object)) continue;
    const candidate = object as KubeObject & { items?: unknown };
    if (typeof candidate.kind === 'string' && candidate.kind.endsWith('List') && Array.isArray(candidate.items)) {
      result.push(...flattenLists(candidate.items));
    } else {
      result.push(candidate);
    }
  }
  return result;
}

/** Parses multi-document YAML into Kubernetes objects (those with a `kind`), expanding Lists. */
export function parseManifests(text: string, source = 'input'): KubeObject[] {
  return flattenLists(parseDocuments(text, source)).filter((object) => typeof object.kind === 'string');
}

/**
 * Parses a YAML file that holds one map (a mesh config, Helm values): empty text is `{}`, text
 * that is not YAML or not a map is a MeshformError naming the source and what was expected.
 */
export function parseYamlMap(text: string, source: string, expected: { readonly what: string; readonly example: string }): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new MeshformError(`${source} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { fix: 'Fix the YAML syntax.' });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MeshformError(`${source} is not ${expected.what}`, { fix: `Give a YAML map such as "${expected.example}".` });
  }
  return value as Record<string, unknown>;
}
