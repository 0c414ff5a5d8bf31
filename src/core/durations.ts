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

const UNIT_NANOS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Nanoseconds of a Go duration as `time.ParseDuration` reads it (`1m30s`, `-1.5h`, `0`), or undefined when it is not one. */
export function goDurationNanos(value: string): number | undefined {
  if (value === '0') return 0;
  const sign = value.startsWith('-') ? -1 : 1;
  const body = value.replace(/^[-+]/, '');
  const parts = [...body.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== body) return undefined;
  return sign * Math.round(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_NANOS[unit!]!, 0));
}
