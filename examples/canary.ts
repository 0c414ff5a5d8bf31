import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { CanaryService, HealthCheck, Mesh, MeshGateway, MeshJob, MeshService, ServicePort } from '../src/index.js';

/** The stages of the rollout: the share of traffic on v2. */
export const ROLLOUT_STAGES: readonly number[] = [0, 10, 50, 100];

export interface CanaryOptions {
  /**
   * Index into ROLLOUT_STAGES.
   * @default 1 (10% on v2)
   */
  readonly stage?: number;
}

/**
 * A progressive rollout of a checkout API from v1 to v2 behind its own gateway. Each stage only
 * changes the VirtualService's weights; testers reach v2 at any stage with `x-canary: v2`, and a
 * smoke-test Job (with a native sidecar, so that it completes) calls it after every deploy. Pods
 * carry their proxy already (manual injection), and every proxy is scoped to what it calls.
 */
export function canary(scope: Construct, options: CanaryOptions = {}): Chart {
  const stage = options.stage ?? 1;
  const v2 = ROLLOUT_STAGES[stage];
  if (v2 === undefined) throw new RangeError(`stage ${stage} does not exist; stages are 0 to ${ROLLOUT_STAGES.length - 1}`);

  const chart = new Chart(scope, 'canary');
  const mesh = new Mesh(chart, 'Mesh', { namespace: 'checkout', injection: 'manual', scopeSidecars: true });
  const pods = {
    replicas: 2,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    readiness: HealthCheck.http('/healthz', { periodSeconds: 5 }),
    proxy: { resources: { cpu: '50m', memory: '64Mi' }, stats: { prefixes: ['cluster.outbound|8080||payments'] } },
  };
  const payments = new MeshService(chart, 'payments', {
    mesh,
    image: 'registry.example.com/payments:3.4.1',
    ports: [ServicePort.grpc(8080), ServicePort.http(9090, { name: 'http-metrics' })],
    // The metrics port is scraped by a Prometheus outside the mesh, in plain text.
    mtls: { portLevelMtls: { 9090: 'PERMISSIVE' } },
    ...pods,
  });
  const checkout = new CanaryService(chart, 'checkout', {
    mesh,
    port: 8080,
    ...pods,
    versions: [
      { name: 'v1', image: 'registry.example.com/checkout:1.9.2', weight: 100 - v2 },
      { name: 'v2', image: 'registry.example.com/checkout:2.0.0', weight: v2, pinnedBy: { 'x-canary': 'v2' } },
    ],
    timeout: '5s',
    retries: { attempts: 2, perTryTimeout: '2s', retryOn: 'connect-failure,refused-stream,unavailable' },
    trafficPolicy: {
      connectionPool: { http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: 10 } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
    },
    // While the rollout runs, every request is traced and every server error logged.
    telemetry: { tracing: { randomSamplingPercentage: 100 }, accessLogging: { filter: 'response.code >= 500' } },
  });
  checkout.connectTo(payments, { ports: [8080], methods: ['POST'] });
  const tokens = { issuer: 'https://auth.example.com/', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['checkout'] };
  // The API needs a token at the workload too, so that a call past the gateway is refused as well.
  checkout.requireJwt({ ...tokens, paths: ['/api/*'] });

  const smokeTest = new MeshJob(chart, 'smoke-test', {
    mesh,
    image: 'registry.example.com/smoke-test:1.0.0',
    args: ['--url', 'http://checkout:8080/healthz', '--header', 'x-canary: v2'],
    backoffLimit: 2,
    ttlSecondsAfterFinished: 3600,
  });
  smokeTest.connectTo(checkout, { methods: ['GET'], paths: ['/healthz'] });

  // Its own gateway proxies: the shared ingress gateway's port 80 already serves every host for Bookinfo.
  const edge = new MeshGateway(chart, 'edge', {
    mesh,
    http: { hosts: ['shop.example.com'] },
    deployment: { replicas: 2, serviceType: 'LoadBalancer' },
  });
  edge.route({ host: 'shop.example.com', path: '/api/checkout', to: checkout });
  // The gateway checks the token first and passes it on, since checkout checks it again.
  edge.requireJwt({ ...tokens, paths: ['/api/*'], forwardOriginalToken: true });
  return chart;
}
