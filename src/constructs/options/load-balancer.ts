import type { DestinationRuleSpec } from '../../../imports/networking.istio.io.js';
import { istioDuration, MeshformError, type ErrorLocation } from '../../core/index.js';
import { assertHeaderName } from '../routing/route-match.js';

/** Istio's LoadBalancerSettings. */
export type LoadBalancerSettings = NonNullable<NonNullable<DestinationRuleSpec['trafficPolicy']>['loadBalancer']>;

/** Where to send a region's traffic when all of its endpoints are unhealthy. */
export interface LocalityFailover {
  /** The region that fails over, e.g. `'us-east1'`. */
  readonly from: string;
  /** The region that takes its traffic. */
  readonly to: string;
}

type Algorithm = { simple: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' } | { consistentHash: Record<string, unknown> };

/**
 * How each caller's proxy picks an endpoint: an algorithm, or a consistent hash that keeps a
 * client on one endpoint (sticky sessions). `LoadBalancer.stickyCookie('session', '1h')`.
 */
export class LoadBalancer {
  /** Each endpoint in turn. */
  public static roundRobin(): LoadBalancer {
    return new LoadBalancer({ simple: 'ROUND_ROBIN' });
  }
  /** The endpoint with the fewest requests in flight: best when requests differ in cost. */
  public static leastRequest(): LoadBalancer {
    return new LoadBalancer({ simple: 'LEAST_REQUEST' });
  }
  /** A random endpoint. */
  public static random(): LoadBalancer {
    return new LoadBalancer({ simple: 'RANDOM' });
  }
  /** The same endpoint for every request with the same value of a header. */
  public static hashHeader(header: string): LoadBalancer {
    return new LoadBalancer({ consistentHash: { httpHeaderName: assertHeaderName(header, { field: 'loadBalancer.hashHeader' }).toLowerCase() } });
  }
  /** The same endpoint for every request with the same value of a query parameter. */
  public static hashQueryParameter(name: string): LoadBalancer {
    return new LoadBalancer({ consistentHash: { httpQueryParameterName: assertHeaderName(name, { field: 'loadBalancer.hashQueryParameter' }) } });
  }
  /** The same endpoint for every connection from the same client IP. */
  public static sourceIp(): LoadBalancer {
    return new LoadBalancer({ consistentHash: { useSourceIp: true } });
  }
  /**
   * Sticky sessions on a cookie: the proxy sets it (for `ttl`) when the request has none, and
   * sends every request that carries it to the same endpoint.
   */
  public static stickyCookie(name: string, ttl: string | number, options: { readonly path?: string } = {}): LoadBalancer {
    const location = { field: 'loadBalancer.stickyCookie' };
    assertHeaderName(name, location);
    const duration = istioDuration(ttl, location);
    // A zero TTL makes a session cookie that Envoy never sets, so nothing would stick.
    if (/^0+(\.0+)?(h|m|s|ms)$/.test(duration)) {
      throw new MeshformError('the cookie TTL is 0, so the proxy never sets the cookie', { ...location, fix: "Give a TTL such as '1h'." });
    }
    if (options.path !== undefined && !options.path.startsWith('/')) {
      throw new MeshformError(`cookie path "${options.path}" does not start with "/"`, { ...location, fix: `Did you mean "/${options.path}"?` });
    }
    return new LoadBalancer({ consistentHash: { httpCookie: { name, ttl: duration, ...(options.path ? { path: options.path } : {}) } } });
  }

  private constructor(
    private readonly algorithm: Algorithm,
    private readonly failover: readonly LocalityFailover[] = [],
  ) {}

  /** True for a consistent hash (sticky sessions). */
  public get isConsistentHash(): boolean {
    return 'consistentHash' in this.algorithm;
  }

  /**
   * Keeps traffic in the caller's region and fails over region by region; Istio only does so
   * when the destination also has outlier detection (a CircuitBreaker).
   */
  public withLocalityFailover(failover: readonly LocalityFailover[]): LoadBalancer {
    if (failover.length === 0) throw new MeshformError('the failover list is empty', { field: 'loadBalancer.withLocalityFailover', fix: "Give [{ from: 'us-east1', to: 'us-west1' }]." });
    for (const { from, to } of failover) {
      if (!from || !to || from === to) {
        throw new MeshformError(`failover from "${from}" to "${to}" goes nowhere`, { field: 'loadBalancer.withLocalityFailover', fix: 'Name two different regions.' });
      }
    }
    return new LoadBalancer(this.algorithm, [...this.failover, ...failover]);
  }

  /** True when locality failover is set. */
  public get hasLocalityFailover(): boolean {
    return this.failover.length > 0;
  }

  /** @internal */
  public _render(_location: ErrorLocation): LoadBalancerSettings {
    return {
      ...this.algorithm,
      ...(this.failover.length > 0 ? { localityLbSetting: { enabled: true, failover: this.failover.map(({ from, to }) => ({ from, to })) } } : {}),
    } as LoadBalancerSettings;
  }
}
