import { MeshformError, type ErrorLocation } from './errors.js';

const ISTIO_DURATION = /^(\d+(\.\d+)?(h|m|s|ms))+$/;

/**
 * A duration for an Istio field (`timeout`, `perTryTimeout`, `interval`): `'2s'`, `'250ms'`,
 * `'1m30s'`, or a number of milliseconds. Returns the string Istio accepts.
 */
export function istioDuration(value: string | number, location: ErrorLocation): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new MeshformError(`${value} is not a duration`, { ...location, fix: 'Give a number of milliseconds ≥ 0.' });
    }
    return value % 1000 === 0 ? `${value / 1000}s` : `${value}ms`;
  }
  if (!ISTIO_DURATION.test(value)) {
    throw new MeshformError(`"${value}" is not a duration`, {
      ...location,
      fix: 'Write it as Istio does, for example "2s", "250ms" or "1m30s".',
    });
  }
  return value;
}
