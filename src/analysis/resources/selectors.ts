import type { Labels } from '../../core/index.js';

/** A label selector the way Kubernetes prints it: `app=web,version=v1`, keys sorted. */
export function selectorString(labels: Labels | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((key) => `${key}=${labels![key]}`)
    .join(',');
}

/** True when every key/value of `inner` is in `outer`: the pods `outer` selects are selected by `inner`. */
export function selectorCovers(inner: Labels | undefined, outer: Labels | undefined): boolean {
  return Object.entries(inner ?? {}).every(([key, value]) => outer?.[key] === value);
}
