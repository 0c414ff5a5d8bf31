import { assertCount, istioDuration, MeshformError, type ErrorLocation } from '../../core/index.js';
import type { HttpMethod } from './route-match.js';

/** Envoy's retry conditions for HTTP and gRPC, as Istio's `retryOn` takes them. */
export type RetryCondition =
  | '5xx'
  | 'gateway-error'
  | 'reset'
  | 'reset-before-request'
  | 'connect-failure'
  | 'envoy-ratelimited'
  | 'retriable-4xx'
  | 'refused-stream'
  | 'retriable-status-codes'
  | 'retriable-headers'
  | 'http3-post-connect-failure'
  | 'cancelled'
  | 'deadline-exceeded'
  | 'internal'
  | 'resource-exhausted'
  | 'unavailable';

const CONDITIONS: ReadonlySet<string> = new Set<RetryCondition>([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded', 'internal',
  'resource-exhausted', 'unavailable',
]);
// Conditions under which the server never saw the request, so that a retry cannot run it twice.
const BEFORE_PROCESSING: ReadonlySet<string> = new Set(['connect-failure', 'refused-stream', 'reset-before-request', 'envoy-ratelimited', 'unavailable', 'http3-post-connect-failure']);
// Istio's default retryOn; it includes 503 responses, which a server may send after acting.
const ISTIO_DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';
// Methods RFC 9110 does not define as idempotent.
const NON_IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['POST', 'PATCH', 'CONNECT']);

/** Retry policy of a route (Istio's HTTPRetry). */
export interface RetryOptions {
  /** How many times to retry; 0 turns Istio's default retries off. */
  readonly attempts: number;
  /**
   * Timeout of each try, `'2s'` or milliseconds.
   * @default - the route's timeout
   */
  readonly perTryTimeout?: string | number;
  /**
   * Conditions that trigger a retry, as Envoy names them; HTTP status codes (`'503'`) too.
   * @default - Istio's default ("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes")
   */
  readonly retryOn?: string | readonly (RetryCondition | `${number}`)[];
  /**
   * Retry on endpoints in other localities too.
   * @default false
   */
  readonly retryRemoteLocalities?: boolean;
  /**
   * Allow retries that may repeat a POST or PATCH the server already acted on (after a 5xx, a
   * reset, …). Without it, such a route may only retry on conditions that happen before the
   * server sees the request (connect-failure, refused-stream, reset-before-request, unavailable).
   * @default false
   */
  readonly allowNonIdempotent?: boolean;
}

/** Istio's HTTPRetry for the options, checked; `methods` are those the route admits (undefined: any). */
export function renderRetries(retries: RetryOptions, methods: readonly HttpMethod[] | undefined, location: ErrorLocation): Record<string, unknown> {
  const at = (field: string): ErrorLocation => ({ construct: location.construct, field: `${location.field}.${field}` });
  const attempts = assertCount(retries.attempts, at('attempts'));
  const conditions = retryConditions(retries.retryOn, at('retryOn'));
  assertRetriesSafe(retries, methods, 'the route matches', location);
  return {
    attempts,
    ...(retries.perTryTimeout !== undefined ? { perTryTimeout: istioDuration(retries.perTryTimeout, at('perTryTimeout')) } : {}),
    ...(conditions ? { retryOn: conditions.join(',') } : {}),
    ...(retries.retryRemoteLocalities !== undefined ? { retryRemoteLocalities: retries.retryRemoteLocalities } : {}),
  };
}

/**
 * Refuses retries that can repeat a request the server already acted on, when every method that
 * can reach the route (`methods`; undefined: any) is one that is not idempotent. `source` says
 * where the methods come from: the route's match, or the calls its callers are admitted to.
 */
export function assertRetriesSafe(retries: RetryOptions, methods: readonly HttpMethod[] | undefined, source: string, location: ErrorLocation): void {
  const conditions = retryConditions(retries.retryOn, { ...location, field: `${location.field}.retryOn` });
  const unsafe = (conditions ?? ISTIO_DEFAULT_RETRY_ON.split(',')).filter((condition) => !BEFORE_PROCESSING.has(condition));
  const risky = methods?.filter((method) => NON_IDEMPOTENT.has(method)) ?? [];
  if (retries.attempts > 0 && risky.length > 0 && unsafe.length > 0 && !retries.allowNonIdempotent) {
    throw new MeshformError(`${source} ${risky.join(', ')} and retries on ${unsafe.join(', ')}, which can run a request twice`, {
      ...location,
      field: `${location.field}.retryOn`,
      fix: "Retry only on 'connect-failure,refused-stream,reset-before-request,unavailable', or set retries.allowNonIdempotent: true if the server deduplicates.",
    });
  }
}

function retryConditions(retryOn: RetryOptions['retryOn'], location: ErrorLocation): string[] | undefined {
  if (retryOn === undefined) return undefined;
  const conditions = (typeof retryOn === 'string' ? retryOn.split(',') : [...retryOn]).map((condition) => String(condition).trim());
  if (conditions.length === 0 || conditions.includes('')) {
    throw new MeshformError('retryOn has an empty condition', { ...location, fix: "List conditions separated by commas, e.g. 'connect-failure,503'." });
  }
  for (const condition of conditions) {
    if (!CONDITIONS.has(condition) && !/^[1-5]\d\d$/.test(condition)) {
      throw new MeshformError(`"${condition}" is not a retry condition`, {
        ...location,
        fix: `Use an HTTP status code or one of ${[...CONDITIONS].join(', ')}.`,
      });
    }
  }
  return conditions;
}
