// Grouping and ordering, done one way everywhere so that output is stable.

/**
 * Orders strings by code unit, as Go's sort.Strings does for ASCII: the same on every machine,
 * unlike localeCompare. Output that is sorted with it is byte-for-byte stable.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A field that should be a list, as a list: anything else in hand-written YAML reads as none. */
export function arrayOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Adds `value` to the list kept under `key`, starting the list when there is none. */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
