import { type ErrorLocation, MeshformError } from './errors.js';
import { compareCodeUnits } from './collections.js';
import { isDnsSubdomain } from './names.js';

/** Kubernetes labels: a flat string map. */
export type Labels = Readonly<Record<string, string>>;

/**
 * True when every key/value of `selector` is present in `labels` (Kubernetes equality-based
 * matching). An empty selector matches everything, as it does for Istio's workloadSelector.
 */
export function selectorMatches(selector: Labels | undefined, labels: Labels | undefined): boolean {
  if (!selector) return true;
  const have = labels ?? {};
  return Object.entries(selector).every(([key, value]) => have[key] === value);
}

/** Copies a label map with its keys in sorted order, so that output does not depend on insertion order. */
export function sortedLabels(labels: Labels): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => compareCodeUnits(a, b)));
}

// A label key: an optional DNS-subdomain prefix and a name of up to 63 characters.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** True for a valid Kubernetes label key (`app`, `app.kubernetes.io/name`). */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  return LABEL_NAME.test(name) && (prefix === undefined || isDnsSubdomain(prefix));
}

/** True for a valid Kubernetes label value (empty, or up to 63 characters of a name). */
export function isLabelValue(value: string): boolean {
  return value === '' || LABEL_NAME.test(value);
}

/**
 * Checks a selector of pods: at least one label, each a valid key and value. An empty selector
 * selects every pod (a policy on it applies to the whole namespace or mesh), so it is refused.
 */
export function assertSelector(selector: unknown, location: ErrorLocation): Labels {
  if (selector === null || typeof selector !== 'object' || Array.isArray(selector)) {
    throw new MeshformError('the selector is not a map of labels', { ...location, fix: "Give the pods' labels, e.g. { istio: 'egressgateway' }." });
  }
  if (Object.keys(selector).length === 0) {
    throw new MeshformError('the selector is empty, so it selects every pod', { ...location, fix: "Give the labels of the pods it is meant for, e.g. { istio: 'egressgateway' }." });
  }
  return assertLabels(selector, location);
}

/** Checks a map of labels: each a valid key and value. */
export function assertLabels(labels: object, location: ErrorLocation): Labels {
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    if (!isLabelKey(key)) throw new MeshformError(`"${key}" is not a label key`, { ...location, field: `${location.field}.${key}`, fix: 'Use a Kubernetes label key (a name of letters, digits, "-", "_" and ".", optionally prefixed by a DNS name and "/").' });
    if (typeof value !== 'string' || !isLabelValue(value)) {
      throw new MeshformError(`${JSON.stringify(value)} is not a label value`, { ...location, field: `${location.field}.${key}`, fix: 'Use a string of up to 63 letters, digits, "-", "_" and "."; wildcards are not labels.' });
    }
  }
  return labels as Labels;
}
