import { type ErrorLocation, MeshformError } from './errors.js';

/**
 * Checks at run time a prop that TypeScript limits to a few strings: from JavaScript, JSON or a
 * cast, anything can arrive, and a value nothing expects must not silently mean something else
 * (a typo in `injection` taking every workload out of the mesh).
 */
export function assertOneOf<const T extends string>(value: unknown, allowed: readonly T[], location: ErrorLocation): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new MeshformError(`${JSON.stringify(value) ?? String(value)} is not one of ${allowed.map((choice) => `'${choice}'`).join(', ')}`, {
    ...location,
    fix: location.fix ?? `Use ${allowed.map((choice) => `'${choice}'`).join(' or ')}.`,
  });
}

/** `assertOneOf` for an optional prop: undefined stays undefined (the default applies). */
export function assertOptionalOneOf<const T extends string>(value: unknown, allowed: readonly T[], location: ErrorLocation): T | undefined {
  return value === undefined ? undefined : assertOneOf(value, allowed, location);
}
