import type { DestinationRuleSpec } from '../../../imports/networking.istio.io.js';
import { assertCount, istioDuration, MeshformError, type ErrorLocation } from '../../core/index.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { LoadBalancer } from './load-balancer.js';

/** Istio's TrafficPolicy of a DestinationRule. */
export type IstioTrafficPolicy = NonNullable<DestinationRuleSpec['trafficPolicy']>;
/** Client-side traffic policy in Istio's own fields, TLS aside (meshform sets it). */
export type TrafficPolicy = Omit<IstioTrafficPolicy, 'tls' | 'portLevelSettings'>;

/** Limits on the connections and requests each caller's proxy opens to the destination. */
export interface ConnectionPoolOptions {
  /**
   * Most TCP connections to the destination, per caller proxy.
   * @default - 2^32-1
   */
  readonly maxConnections?: number;
  /**
   * TCP connect timeout, `'10s'` or milliseconds.
   * @default '10s'
   */
  readonly connectTimeout?: string | number;
  /**
   * Most requests waiting for a connection; more are refused with 503 at once.
   * @default - 2^32-1
   */
  readonly maxPendingRequests?: number;
  /**
   * Most requests in flight (HTTP/2 and HTTP/1.1 alike).
   * @default - 2^32-1
   */
  readonly maxRequests?: number;
  /**
   * Requests per connection before it is closed; 1 turns keep-alive off.
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Most retries in flight to the destination.
   * @default - 2^32-1
   */
  readonly maxRetries?: number;
  /**
   * How long a connection may stay idle, `'1h'` or milliseconds.
   * @default '1h'
   */
  readonly idleTimeout?: string | number;
}

/** Client-side load balancing and resilience, as typed intent. */
export interface ClientTrafficOptions {
  /**
   * How callers pick an endpoint.
   * @default - Istio's default (LEAST_REQUEST)
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Eject endpoints that keep failing.
   * @default - no outlier detection
   */
  readonly circuitBreaker?: CircuitBreaker;
  /**
   * Connection and request limits.
   * @default - Istio's defaults (no limits)
   */
  readonly connectionPool?: ConnectionPoolOptions;
}

/** Load balancing and resilience for one port of the Service. */
export interface PortTrafficOptions extends ClientTrafficOptions {
  /** The Service port these settings are for. */
  readonly port: number;
  /**
   * TLS that callers originate themselves, for a workload that terminates TLS on this port
   * (re-encryption): `SIMPLE` verifies the server against `caCertificates` and sends `sni`. The
   * port must then take non-Istio TLS (`mtls.portLevelMtls` PERMISSIVE), which is checked.
   * @default - Istio's mutual TLS
   */
  readonly tls?: PortTls;
}

/** TLS a caller originates to a port that terminates TLS itself. */
export interface PortTls {
  readonly mode: 'SIMPLE';
  /**
   * Server name to send and verify; one of the names in the server's certificate.
   * @default - the host of the request
   */
  readonly sni?: string;
  /**
   * CA bundle in the caller's proxy to verify the server with.
   * @default - `credentialName`, else none (the server is not verified)
   */
  readonly caCertificates?: string;
  /**
   * For a gateway's backend: a Secret in the gateway pods' namespace whose `ca.crt` verifies the
   * server (the gateway reads it through SDS, so no file needs mounting).
   * @default - `caCertificates`
   */
  readonly credentialName?: string;
}

/**
 * The DestinationRule trafficPolicy for typed options and Istio's raw fields. A setting given both
 * ways is refused: which one wins would be a guess.
 */
export function renderTrafficPolicy(typed: ClientTrafficOptions, raw: TrafficPolicy | undefined, location: ErrorLocation): TrafficPolicy {
  const at = (field: string): ErrorLocation => ({ construct: location.construct, field: location.field ? `${location.field}.${field}` : field });
  const policy: Record<string, unknown> = { ...raw };
  for (const [field, rawField] of [['loadBalancer', 'loadBalancer'], ['circuitBreaker', 'outlierDetection'], ['connectionPool', 'connectionPool']] as const) {
    if (typed[field] !== undefined && raw?.[rawField] !== undefined) {
      throw new MeshformError(`${field} and trafficPolicy.${rawField} are both given`, { ...at(field), fix: `Give one of them; ${field} is the typed form of trafficPolicy.${rawField}.` });
    }
  }
  const rawBalancer = raw?.loadBalancer as Record<string, unknown> | undefined;
  if (rawBalancer && rawBalancer.simple !== undefined && rawBalancer.consistentHash !== undefined) {
    throw new MeshformError(`trafficPolicy.loadBalancer has both simple (${String(rawBalancer.simple)}) and consistentHash`, {
      ...at('trafficPolicy.loadBalancer'),
      fix: 'Istio takes one algorithm: a consistent hash (sticky sessions) or a simple one such as LEAST_REQUEST.',
    });
  }
  if (typed.loadBalancer) policy.loadBalancer = typed.loadBalancer._render(at('loadBalancer'));
  if (typed.circuitBreaker) policy.outlierDetection = typed.circuitBreaker._render(at('circuitBreaker'));
  if (typed.connectionPool) policy.connectionPool = renderConnectionPool(typed.connectionPool, at('connectionPool'));
  // Istio only fails over between localities when it can tell an endpoint is unhealthy.
  const failover = (policy.loadBalancer as Record<string, any> | undefined)?.localityLbSetting?.failover;
  if (failover && policy.outlierDetection === undefined) {
    throw new MeshformError('locality failover needs outlier detection, without which Istio never fails over', {
      ...at('loadBalancer'),
      fix: 'Add circuitBreaker: CircuitBreaker.consecutive5xx(5) (or trafficPolicy.outlierDetection).',
    });
  }
  return policy as TrafficPolicy;
}

function renderConnectionPool(pool: ConnectionPoolOptions, location: ErrorLocation): Record<string, unknown> {
  const at = (field: string): ErrorLocation => ({ construct: location.construct, field: `${location.field}.${field}` });
  const count = (field: keyof ConnectionPoolOptions, min = 1) => (pool[field] !== undefined ? assertCount(pool[field] as number, at(field), min) : undefined);
  const duration = (field: keyof ConnectionPoolOptions) => (pool[field] !== undefined ? istioDuration(pool[field] as string | number, at(field)) : undefined);
  const tcp = compact({ maxConnections: count('maxConnections'), connectTimeout: duration('connectTimeout') });
  const http = compact({
    http1MaxPendingRequests: count('maxPendingRequests'),
    http2MaxRequests: count('maxRequests'),
    maxRequestsPerConnection: count('maxRequestsPerConnection'),
    maxRetries: count('maxRetries', 0),
    idleTimeout: duration('idleTimeout'),
  });
  if (!tcp && !http) throw new MeshformError('the connection pool sets no limit', { ...location, fix: 'Give maxConnections, maxPendingRequests, maxRequests, … or leave connectionPool out.' });
  return { ...(http ? { http } : {}), ...(tcp ? { tcp } : {}) };
}

function compact(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept = Object.entries(fields).filter(([, value]) => value !== undefined);
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}
