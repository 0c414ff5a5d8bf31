import type { VirtualServiceSpec } from '../../../imports/networking.istio.io.js';
import { istioDuration } from '../../core/index.js';

/** One Istio HTTPRoute. */
export type HttpRoute = NonNullable<VirtualServiceSpec['http']>[number];
/** One weighted destination of an HTTPRoute. */
export type HttpRouteDestination = NonNullable<HttpRoute['route']>[number];

/** Retry policy of a route (Istio's HTTPRetry). */
export interface RetryOptions {
  /** How many times to retry. */
  readonly attempts: number;
  /**
   * Timeout of each try, `'2s'` or milliseconds.
   * @default - the route's timeout
   */
  readonly perTryTimeout?: string | number;
  /**
   * Conditions that trigger a retry, as Envoy names them.
   * @default - Istio's default ("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes")
   */
  readonly retryOn?: string;
}

/**
 * What a route does with the requests it matches, shared by every route meshform writes (canary
 * and gateway routes alike): timeout and retries. Further per-route behavior of Istio's HTTPRoute
 * (fault injection, mirroring, CORS, rewrites) belongs here, next to them.
 */
export interface HttpRouteOptions {
  /**
   * Timeout of a request, `'10s'` or milliseconds.
   * @default - no timeout
   */
  readonly timeout?: string | number;
  /**
   * Retry policy.
   * @default - Istio's default (2 attempts)
   */
  readonly retries?: RetryOptions;
}

/** The HTTPRoute fields of the options, checked and in Istio's format. */
export function httpRouteFields(options: HttpRouteOptions, construct: string): Partial<HttpRoute> {
  const fields: Record<string, unknown> = {};
  if (options.timeout !== undefined) fields.timeout = istioDuration(options.timeout, { construct, field: 'timeout' });
  if (options.retries) {
    const { attempts, perTryTimeout, retryOn } = options.retries;
    fields.retries = {
      attempts,
      ...(perTryTimeout !== undefined ? { perTryTimeout: istioDuration(perTryTimeout, { construct, field: 'retries.perTryTimeout' }) } : {}),
      ...(retryOn !== undefined ? { retryOn } : {}),
    };
  }
  return fields as Partial<HttpRoute>;
}
