import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  CanaryService,
  CircuitBreaker,
  EgressGateway,
  LoadBalancer,
  Mesh,
  MeshGateway,
  MeshService,
  PathMatch,
  ServicePort,
  StringMatch,
  type CorsPolicy,
} from '../src/index.js';

/** The canary share of each stage of the cart's rollout. */
export const CART_STAGES: readonly number[] = [5, 20, 50, 100];

export interface TrafficOptions {
  /**
   * Stage of the cart's rollout (an index into CART_STAGES).
   * @default 0
   */
  readonly cartStep?: number;
}

/**
 * A storefront that uses every traffic feature: request matching, rewrites, redirects, fault
 * injection, mirroring, CORS and idempotency-aware retries; typed load balancing (sticky
 * sessions, least request, locality failover) and circuit breaking; a staged rollout and a canary
 * whose weights a controller owns; and the only ways out of the mesh are two egress gateways.
 */
export function traffic(scope: Construct, options: TrafficOptions = {}): Chart {
  const chart = new Chart(scope, 'traffic');
  const mesh = new Mesh(chart, 'Mesh', { namespace: 'storefront', scopeSidecars: true, outboundTrafficPolicy: 'REGISTRY_ONLY' });
  const pods = { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } };

  // Calls to the payment provider leave with the application's own TLS; the tax service is
  // called over plain HTTP and the egress gateway originates TLS (and can log each request).
  const stripe = new EgressGateway(chart, 'stripe', { mesh, host: 'api.stripe.com' });
  const tax = new EgressGateway(chart, 'tax', { mesh, host: 'tax.example.org', mode: 'originate' });

  const catalog = new MeshService(chart, 'catalog', {
    mesh,
    image: 'registry.example.com/catalog:4.2.0',
    port: 8080,
    ...pods,
    loadBalancer: LoadBalancer.leastRequest(),
    circuitBreaker: CircuitBreaker.consecutiveGatewayErrors(3, { interval: '5s', baseEjectionTime: '15s', maxEjectionPercent: 50 }),
    connectionPool: { maxConnections: 200, maxPendingRequests: 50, idleTimeout: '5m' },
    timeout: '3s',
    retries: { attempts: 3, perTryTimeout: '1s', retryOn: ['connect-failure', 'refused-stream', '503'] },
    routes: [
      {
        // Chaos drills: testers opt in per request with a header.
        name: 'chaos-delay',
        match: { headers: { 'x-chaos': 'delay' } },
        fault: { delay: { fixed: '2s', percent: 50 } },
      },
      {
        name: 'chaos-abort',
        match: { headers: { 'x-chaos': 'abort' } },
        fault: { abort: { httpStatus: 503, percent: 10 } },
      },
    ],
  });

  const searchNext = new MeshService(chart, 'search-next', { mesh, image: 'registry.example.com/search:2.0.0-rc1', port: 8080, ...pods });
  // A dark launch: the new search engine gets a copy of a tenth of the queries; its answers are dropped.
  const search = new MeshService(chart, 'search', {
    mesh,
    image: 'registry.example.com/search:1.8.3',
    port: 8080,
    ...pods,
    mirror: { to: searchNext, percent: 10 },
  });
  // Batch re-indexing (the catalog calling) may take longer than a shopper's search.
  search.addRoute({ name: 'from-catalog', match: { sourceLabels: { app: 'catalog' }, method: ['GET', 'HEAD'] }, timeout: '30s' });

  const cart = new CanaryService(chart, 'cart', {
    mesh,
    ports: [ServicePort.http(8080), ServicePort.grpc(9090)],
    ...pods,
    versions: [
      { name: 'v1', image: 'registry.example.com/cart:5.1.0' },
      { name: 'v2', image: 'registry.example.com/cart:6.0.0', pinnedBy: { 'x-canary': 'v2' }, connectionPool: { maxRequests: 100 } },
    ],
    rollout: { stages: CART_STAGES, step: options.cartStep ?? 0 },
    // A shopper's cart lives in one pod's cache: keep each session on one endpoint.
    loadBalancer: LoadBalancer.stickyCookie('cart-session', '1h', { path: '/' }).withLocalityFailover([
      { from: 'europe-west1', to: 'europe-west4' },
      { from: 'europe-west4', to: 'europe-west1' },
    ]),
    circuitBreaker: CircuitBreaker.consecutive5xx(5),
    portTraffic: [{ port: 9090, loadBalancer: LoadBalancer.roundRobin(), connectionPool: { maxRequests: 1000, maxRequestsPerConnection: 100 } }],
    timeout: '5s',
    routes: [
      {
        // Placing an order is not idempotent: retry only when the request never reached a pod.
        name: 'checkout',
        match: { path: PathMatch.exact('/cart/checkout'), method: 'POST' },
        timeout: '10s',
        retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,reset-before-request' },
      },
    ],
  });

  // Argo Rollouts shifts this canary's weights in the cluster; meshform writes only the start.
  const pricing = new CanaryService(chart, 'pricing', {
    mesh,
    port: 8080,
    ...pods,
    versions: [
      { name: 'stable', image: 'registry.example.com/pricing:2.3.0', weight: 100 },
      { name: 'canary', image: 'registry.example.com/pricing:2.4.0', weight: 0 },
    ],
    weightsOwner: 'controller',
    loadBalancer: LoadBalancer.hashHeader('x-customer-id'),
  });

  cart.connectTo(catalog);
  cart.connectTo(pricing);
  cart.connectTo(stripe);
  catalog.connectTo(search);
  pricing.connectTo(tax);

  // Named apart from the canary example's `edge`: a gateway selector matches pods in every namespace.
  const edge = new MeshGateway(chart, 'storefront-edge', {
    mesh,
    http: { hosts: ['shop.example.com', 'api.shop.example.com'], httpsRedirect: true },
    https: { hosts: ['shop.example.com', 'api.shop.example.com'], credentialName: 'shop-example-com-tls', certificate: { issuer: { name: 'letsencrypt' } } },
    deployment: { replicas: 2 },
  });
  const browserCors: CorsPolicy = {
    allowOrigins: ['https://shop.example.com'],
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: ['content-type', 'x-request-id'],
    maxAge: '24h',
    allowCredentials: true,
  };
  edge.route({ host: 'api.shop.example.com', match: { path: '/cart', queryParams: { preview: 'v2' } }, to: cart, version: 'v2', cors: browserCors });
  edge.route({ host: 'api.shop.example.com', path: '/cart', to: cart, timeout: '5s', cors: browserCors });
  edge.route({
    host: 'api.shop.example.com',
    match: { path: PathMatch.regex('/products/[0-9]+'), method: ['GET', 'HEAD'] },
    to: catalog,
    retries: { attempts: 2, perTryTimeout: '1s', retryOn: '5xx' },
  });
  edge.route({ host: 'api.shop.example.com', match: { path: '/search', headers: { accept: StringMatch.prefix('application/json') } }, to: search, rewrite: { uri: '/query' } });
  edge.route({ host: 'shop.example.com', path: PathMatch.prefix('/old-shop'), redirect: { uri: '/', code: 301 } });
  edge.route({ host: 'shop.example.com', to: catalog });
  return chart;
}
