import type { DestinationRuleSpec } from '../../../imports/networking.istio.io.js';
import { assertCount, assertPercentage, istioDuration, type ErrorLocation } from '../../core/index.js';

/** Istio's OutlierDetection. */
export type OutlierDetection = NonNullable<NonNullable<DestinationRuleSpec['trafficPolicy']>['outlierDetection']>;

/** How long and how much of the pool is ejected once an endpoint trips the breaker. */
export interface EjectionOptions {
  /**
   * How often endpoints are scanned, `'10s'` or milliseconds.
   * @default '10s'
   */
  readonly interval?: string | number;
  /**
   * Minimum ejection time (it grows with each ejection), `'30s'` or milliseconds.
   * @default '30s'
   */
  readonly baseEjectionTime?: string | number;
  /**
   * Most of the pool that may be ejected at once, 0 to 100.
   * @default 10
   */
  readonly maxEjectionPercent?: number;
  /**
   * Below this share of healthy endpoints, ejection stops and all endpoints get traffic.
   * @default 0
   */
  readonly minHealthPercent?: number;
}

/**
 * Outlier detection: each caller's proxy ejects an endpoint that keeps failing for a while, so
 * that a bad pod stops getting traffic. `CircuitBreaker.consecutive5xx(5)`.
 */
export class CircuitBreaker {
  /** Eject after `errors` 5xx answers (or connection failures) in a row. */
  public static consecutive5xx(errors: number, options: EjectionOptions = {}): CircuitBreaker {
    return new CircuitBreaker('consecutive5xxErrors', errors, options);
  }
  /** Eject after `errors` 502/503/504 answers (or connection failures) in a row: gateway errors only. */
  public static consecutiveGatewayErrors(errors: number, options: EjectionOptions = {}): CircuitBreaker {
    return new CircuitBreaker('consecutiveGatewayErrors', errors, options);
  }

  private constructor(
    private readonly trigger: 'consecutive5xxErrors' | 'consecutiveGatewayErrors',
    private readonly errors: number,
    private readonly options: EjectionOptions,
  ) {}

  /** @internal */
  public _render(location: ErrorLocation): OutlierDetection {
    const at = (field: string): ErrorLocation => ({ construct: location.construct, field: `${location.field}.${field}` });
    const { interval, baseEjectionTime, maxEjectionPercent, minHealthPercent } = this.options;
    return {
      [this.trigger]: assertCount(this.errors, at(this.trigger), 1),
      interval: istioDuration(interval ?? '10s', at('interval')),
      baseEjectionTime: istioDuration(baseEjectionTime ?? '30s', at('baseEjectionTime')),
      ...(maxEjectionPercent !== undefined ? { maxEjectionPercent: assertPercentage(assertCount(maxEjectionPercent, at('maxEjectionPercent')), at('maxEjectionPercent')) } : {}),
      ...(minHealthPercent !== undefined ? { minHealthPercent: assertPercentage(assertCount(minHealthPercent, at('minHealthPercent')), at('minHealthPercent')) } : {}),
    } as OutlierDetection;
  }
}
