import type { KubeObject } from './kube-object.js';
import { DEFAULT_NAMESPACE } from './namespaces.js';

/**
 * `"Kind namespace/name"`, or `"Kind name"` when the object has no namespace — istioctl's form. It
 * is also an object's key: two objects with the same origin overwrite each other when applied.
 */
export function originOf(object: KubeObject): string {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  return namespace ? `${object.kind} ${namespace}/${name}` : `${object.kind} ${name}`;
}

/** The namespace an object is analyzed in. */
export function namespaceOf(object: KubeObject): string {
  const namespace: unknown = object.metadata?.namespace;
  // Input may hold any type here; identity is always a string.
  return namespace === undefined || namespace === null || namespace === '' ? DEFAULT_NAMESPACE : String(namespace);
}

export function nameOf(object: KubeObject): string {
  const name: unknown = object.metadata?.name;
  return name === undefined || name === null ? '' : String(name);
}

/** `<group>/<Kind>` of an object (the core group is empty): tells apart kinds of the same name. */
export function kindKey(object: KubeObject): string {
  const apiVersion = String(object.apiVersion ?? '');
  const slash = apiVersion.indexOf('/');
  return `${slash < 0 ? '' : apiVersion.slice(0, slash)}/${object.kind}`;
}

/**
 * What makes an object one object in a cluster: group, kind, namespace and name. Two manifests
 * with the same key overwrite each other when applied.
 */
export function objectKey(object: KubeObject): string {
  return `${kindKey(object)} ${namespaceOf(object)}/${nameOf(object)}`;
}

/**
 * The items that stand for one object more than once (same objectKey), grouped in input order:
 * applied, the last of each group overwrites the others.
 */
export function duplicateObjects<T>(items: Iterable<T>, manifestOf: (item: T) => KubeObject): T[][] {
  // A list only for a key seen twice: tens of thousands of objects are almost all unique.
  const first = new Map<string, { readonly item: T; readonly index: number }>();
  const groups = new Map<string, { readonly index: number; readonly items: T[] }>();
  let index = 0;
  for (const item of items) {
    const key = objectKey(manifestOf(item));
    const seen = first.get(key);
    if (!seen) first.set(key, { item, index });
    else {
      const group = groups.get(key);
      if (group) group.items.push(item);
      else groups.set(key, { index: seen.index, items: [seen.item, item] });
    }
    index++;
  }
  // In the order of each group's first item, as one list per key in input order would be.
  return [...groups.values()].sort((a, b) => a.index - b.index).map((group) => group.items);
}
