import { MeshformError, type ErrorLocation } from './errors.js';

/** A share of traffic for one destination, as Istio wants it: a whole percentage. */
export interface WeightedName {
  readonly name: string;
  readonly weight: number;
}

/**
 * Checks that weights are whole numbers from 0 to 100 that add up to exactly 100, and says which
 * to change when they do not ("weights of reviews add up to 90; they must add up to 100").
 */
export function assertWeights(owner: string, weights: readonly WeightedName[], construct?: string): void {
  for (const [index, { name, weight }] of weights.entries()) {
    const field = `versions[${index}].weight`;
    if (typeof weight !== 'number' || Number.isNaN(weight)) {
      throw new MeshformError(`weight of ${name} is ${String(weight)}, not a number`, { construct, field, fix: 'Give a whole percentage from 0 to 100.' });
    }
    if (weight < 0 || weight > 100) {
      throw new MeshformError(`weight of ${name} is ${weight}, outside 0 to 100`, {
        construct,
        field,
        fix: 'Give a percentage from 0 to 100 (0 keeps the version deployed but sends it nothing).',
      });
    }
    if (!Number.isInteger(weight)) {
      throw new MeshformError(`weight of ${name} is ${weight}; Istio takes whole percentages`, { construct, field, fix: 'Round it to a whole number.' });
    }
  }
  const total = weights.reduce((sum, { weight }) => sum + weight, 0);
  if (total !== 100) {
    const listed = weights.map(({ name, weight }) => `${name}=${weight}`).join(', ');
    throw new MeshformError(`weights of ${owner} add up to ${total} (${listed}); they must add up to 100`, {
      construct,
      field: 'weight',
      fix: total < 100 ? `Give ${100 - total} more to one of them.` : `Take ${total - 100} away from one of them.`,
    });
  }
}

/** Checks an Istio `Percent` (fault injection, mirroring, sampling): a number from 0 to 100, fractions allowed. */
export function assertPercentage(value: number, location: ErrorLocation): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new MeshformError(`${String(value)} is not a percentage from 0 to 100`, { ...location, fix: 'Give a number from 0 to 100, e.g. 5 or 0.5.' });
  }
  return value;
}

/** Checks a count (retry attempts, connection limits): a whole number from `min` up. */
export function assertCount(value: number, location: ErrorLocation, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new MeshformError(`${String(value)} is not a whole number ≥ ${min}`, { ...location, fix: `Give a whole number from ${min} up.` });
  }
  return value;
}
