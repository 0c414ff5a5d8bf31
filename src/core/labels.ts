import { compareCodeUnits } from './ordering.js';

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
