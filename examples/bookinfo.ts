import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { CanaryService, HealthCheck, Mesh, MeshDefaults, MeshGateway, MeshService, PathMatch, TracingTag, type Principal } from '../src/index.js';

const defaultImage = (component: string) => `docker.io/istio/examples-bookinfo-${component}:1.20.3`;

/** Options a caller may vary, for instance to try another split. */
export interface BookinfoOptions {
  /** Weights of reviews v1, v2 and v3. @default 80/20/0 */
  readonly reviewsWeights?: { readonly v1: number; readonly v2: number; readonly v3: number };
  /** Image of each component (`details-v1`, `reviews-v2`, …). @default - Istio's published images */
  readonly image?: (component: string) => string;
  /** Identity of the ingress gateway pods. @default - MeshGateway's default */
  readonly gatewayIdentity?: Principal;
  /** Share of requests traced, 0–100. @default 10 */
  readonly tracingSamplingPercentage?: number;
  /** Issuer of the tokens the product API requires. @default 'https://auth.bookinfo.example.com/' */
  readonly tokenIssuer?: string;
}

/**
 * Istio's Bookinfo sample: productpage calls details and reviews, reviews calls ratings. reviews
 * runs three versions with an 80/20 split between v1 and v2 (v3 is deployed at 0%, reachable with
 * the header `x-canary: v3`), and productpage is published through an ingress gateway, whose
 * product API needs a JWT. The namespace allows nothing but the declared calls, every proxy is
 * scoped to what it calls, and mTLS is STRICT mesh-wide; traces are sampled and only failed
 * requests are logged.
 */
export function bookinfo(scope: Construct, options: BookinfoOptions = {}): Chart {
  const chart = new Chart(scope, 'bookinfo');
  buildBookinfo(chart, options);
  return chart;
}

/** Adds Bookinfo's objects to `chart` (a cdk8s chart, or the one a Pulumi MeshStack hands over). */
export function buildBookinfo(chart: Chart, options: BookinfoOptions = {}): void {
  const image = options.image ?? defaultImage;
  new MeshDefaults(chart, 'MeshDefaults', { mtls: 'STRICT' });
  const mesh = new Mesh(chart, 'Mesh', {
    namespace: 'bookinfo',
    scopeSidecars: true,
    telemetry: {
      tracing: {
        randomSamplingPercentage: options.tracingSamplingPercentage ?? 10,
        customTags: { cluster: TracingTag.environment('ISTIO_META_CLUSTER_ID', 'unknown'), 'user-agent': TracingTag.header('user-agent') },
      },
      // Envoy's default log line carries the request id, which joins a failed request to its trace.
      accessLogging: { filter: 'response.code >= 400' },
      metrics: { overrides: [{ metric: 'REQUEST_COUNT', removeTags: ['request_protocol'] }] },
    },
  });
  const weights = options.reviewsWeights ?? { v1: 80, v2: 20, v3: 0 };

  const details = new MeshService(chart, 'details', {
    mesh,
    image: image('details-v1'),
    port: 9080,
    serviceAccountName: 'bookinfo-details',
    readiness: HealthCheck.tcp(),
  });
  const ratings = new MeshService(chart, 'ratings', {
    mesh,
    image: image('ratings-v1'),
    port: 9080,
    serviceAccountName: 'bookinfo-ratings',
    readiness: HealthCheck.tcp(),
  });
  const reviewsPod = {
    env: { LOG_DIR: '/tmp/logs' },
    scratchVolumes: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'wlp-output', mountPath: '/opt/ibm/wlp/output' },
    ],
  };
  const reviews = new CanaryService(chart, 'reviews', {
    mesh,
    port: 9080,
    serviceAccountName: 'bookinfo-reviews',
    ...reviewsPod,
    versions: [
      { name: 'v1', image: image('reviews-v1'), weight: weights.v1 },
      { name: 'v2', image: image('reviews-v2'), weight: weights.v2 },
      { name: 'v3', image: image('reviews-v3'), weight: weights.v3, pinnedBy: { 'x-canary': 'v3' } },
    ],
    timeout: '10s',
    retries: { attempts: 2, perTryTimeout: '3s' },
  });
  const productpage = new MeshService(chart, 'productpage', {
    mesh,
    image: image('productpage-v1'),
    port: 9080,
    serviceAccountName: 'bookinfo-productpage',
    readiness: HealthCheck.http('/health'),
    scratchVolumes: [{ name: 'tmp', mountPath: '/tmp' }],
    podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9080', 'prometheus.io/path': '/metrics' },
  });

  // Each edge admits exactly the calls Bookinfo makes: GET /details/<id>, /reviews/<id>, /ratings/<id>.
  productpage.connectTo(details, { methods: ['GET'], paths: ['/details/*'] });
  productpage.connectTo(reviews, { methods: ['GET'], paths: ['/reviews/*'] });
  reviews.connectTo(ratings, { methods: ['GET'], paths: ['/ratings/*'] });

  const gateway = new MeshGateway(chart, 'gateway', {
    mesh,
    name: 'bookinfo-gateway',
    // The gateway Service's port: Istio translates it to the pods' listening port (8080 in
    // current installs), and the port exists on every ingress gateway Service.
    http: { hosts: ['*'], port: 80 },
    gatewayIdentity: options.gatewayIdentity,
  });
  gateway.route({
    host: '*',
    path: [
      PathMatch.exact('/productpage'),
      PathMatch.prefix('/static'),
      PathMatch.exact('/login'),
      PathMatch.exact('/logout'),
      PathMatch.prefix('/api/v1/products'),
    ],
    to: productpage,
  });
  // The pages stay public; the product API answers only holders of a reader's token.
  gateway.requireJwt({
    issuer: options.tokenIssuer ?? 'https://auth.bookinfo.example.com/',
    jwksUri: `${options.tokenIssuer ?? 'https://auth.bookinfo.example.com/'}.well-known/jwks.json`,
    audiences: ['bookinfo'],
    paths: ['/api/v1/products/*'],
    claims: { groups: ['readers'] },
  });
}
