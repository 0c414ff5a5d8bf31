import { compareCodeUnits, type KubeObject, nameOf, namespaceOf } from '../../core/index.js';

/** An object's `metadata.creationTimestamp` in milliseconds; none counts as the oldest instant. */
function createdAt(object: KubeObject): number {
  const value: unknown = (object.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp;
  return typeof value === 'string' ? Date.parse(value) || 0 : 0;
}

/** Istio's `configCompareByCreationTime`: oldest first, then by name, then by namespace. */
export function compareCreation(a: KubeObject, b: KubeObject): number {
  return createdAt(a) - createdAt(b) || compareCodeUnits(nameOf(a), nameOf(b)) || compareCodeUnits(namespaceOf(a), namespaceOf(b));
}

/** True when Istio's tie-break (name, then namespace) rather than a timestamp put these objects in order. */
export function orderedByName(objects: readonly KubeObject[]): boolean {
  return objects.length > 1 && new Set(objects.map(createdAt)).size < objects.length;
}
