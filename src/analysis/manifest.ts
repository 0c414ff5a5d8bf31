import { parseAllDocuments } from 'yaml';
import { MeshformError, type KubeObject } from '../core/index.js';

export type { KubeObject } from '../core/index.js';

/** The namespace Kubernetes puts an object without one in. */
export const DEFAULT_NAMESPACE = 'default';

/** `"Kind namespace/name"`, or `"Kind name"` when the object has no namespace — istioctl's form. */
export function originOf(object: KubeObject): string {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  return namespace ? `${object.kind} ${namespace}/${name}` : `${object.kind} ${name}`;
}

/** The namespace an object is analyzed in. */
export function namespaceOf(object: KubeObject): string {
  return object.metadata?.namespace || DEFAULT_NAMESPACE;
}

export function nameOf(object: KubeObject): string {
  return object.metadata?.name ?? '';
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

/**
 * Parses multi-document YAML (or JSON) into objects, expanding Lists. Throws a MeshformError that
 * names the source and the line when the text is not YAML.
 */
export function parseManifests(text: string, source = 'input'): KubeObject[] {
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  const parsed: unknown[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new MeshformError(`${source}${line ? `:${line}` : ''} is not valid YAML: ${error.message.split('\n')[0]}`, {
        fix: 'Fix the YAML syntax at that line.',
      });
    }
    parsed.push(document.toJS({ maxAliasCount: 1000 }));
  }
  return flattenLists(parsed).filter((object) => typeof object.kind === 'string');
}
