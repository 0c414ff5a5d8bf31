/**
 * Leaf values of a document, keyed by path. Lists of named things (containers, env, volumes, …)
 * are keyed by name so that order does not count; other lists by index.
 */
export function leaves(value: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '[]');
    const named = value.every((item) => item !== null && typeof item === 'object' && typeof (item as any).name === 'string');
    value.forEach((item, index) => leaves(item, `${path}[${named ? (item as any).name : index}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, '{}');
    for (const [key, item] of entries) leaves(item, path ? `${path}.${key}` : key, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/** Share of the expected leaves the actual document reproduces, and the ones it misses. */
export function fidelity(expected: unknown, actual: unknown): { score: number; missing: string[] } {
  const want = leaves(expected);
  const have = leaves(actual);
  const missing = [...want].filter(([path, value]) => have.get(path) !== value).map(([path, value]) => `${path} = ${JSON.stringify(value)} (got ${JSON.stringify(have.get(path))})`);
  return { score: want.size === 0 ? 1 : (want.size - missing.length) / want.size, missing };
}
