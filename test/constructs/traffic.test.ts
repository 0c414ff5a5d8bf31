import type { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  CanaryService,
  CircuitBreaker,
  EgressGateway,
  ExternalService,
  LoadBalancer,
  Mesh,
  MeshGateway,
  MeshService,
  PathMatch,
  ServicePort,
  StringMatch,
  type CanaryServiceProps,
  type ExternalServiceProps,
} from '../../src/index.js';
import { egressHop } from '../support/egress-hop.js';
import { errorOf, find, synth, type Manifest } from '../support/synth.js';

const image = 'example.com/app:1.0';


const http = (objects: Manifest[], name: string) => find(objects, 'VirtualService', name).spec.http;

describe('routing rules', () => {
  it('renders every kind of match, in first-match order with the default route last', () => {
    const objects = synth((chart) => {
      const api = new MeshService(chart, 'api', { image, port: 8080, timeout: '2s' });
      api.addRoute({ name: 'exact', match: { path: PathMatch.exact('/login'), method: 'POST' }, timeout: '9s' });
      api.addRoute({
        name: 'many',
        match: [
          { headers: { 'X-User': StringMatch.regex('^qa-.*'), 'x-tier': 'gold' }, queryParams: { debug: StringMatch.prefix('1') } },
          { path: '/v2', method: ['GET', 'HEAD', 'GET'], sourceLabels: { app: 'web' }, ignoreUriCase: true },
        ],
        rewrite: { uri: '/', authority: 'api-v2' },
      });
    });
    const routes = http(objects, 'api');
    expect(routes.map((r: any) => r.name)).toEqual(['exact', 'many', undefined]);
    expect(routes[0]).toMatchObject({ match: [{ uri: { exact: '/login' }, method: { exact: 'POST' } }], timeout: '9s' });
    expect(routes[1].match).toEqual([
      { headers: { 'x-tier': { exact: 'gold' }, 'x-user': { regex: '^qa-.*' } }, queryParams: { debug: { prefix: '1' } } },
      { uri: { prefix: '/v2' }, method: { regex: 'GET|HEAD' }, sourceLabels: { app: 'web' }, ignoreUriCase: true },
    ]);
    expect(routes[1].rewrite).toEqual({ uri: '/', authority: 'api-v2' });
    expect(routes[2]).toEqual({ route: [{ destination: { host: 'api' } }], timeout: '2s' });
  });

  it('gives a plain MeshService a VirtualService only when it has routes or route options', () => {
    const objects = synth((chart) => {
      new MeshService(chart, 'plain', { image, port: 80 });
      new MeshService(chart, 'faulty', { image, port: 80, fault: { abort: { httpStatus: 503, percent: 0.5 } } });
    });
    expect(objects.filter((o) => o.kind === 'VirtualService').map((o) => o.metadata.name)).toEqual(['faulty']);
    expect(http(objects, 'faulty')[0].fault).toEqual({ abort: { httpStatus: 503, percentage: { value: 0.5 } } });
  });

  it('mirrors to another workload, which then admits and is reachable by every caller', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop', scopeSidecars: true });
      const next = new MeshService(chart, 'next', { mesh, image, port: 80 });
      const search = new MeshService(chart, 'search', { mesh, image, port: 80, mirror: { to: next, percent: 25 } });
      new MeshService(chart, 'web', { mesh, image, port: 80 }).connectTo(search);
    });
    expect(http(objects, 'search')[0]).toMatchObject({ mirror: { host: 'next' }, mirrorPercentage: { value: 25 } });
    expect(find(objects, 'AuthorizationPolicy', 'next').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/web']);
    expect(find(objects, 'Sidecar', 'web').spec.egress[0].hosts).toEqual(['shop/next.shop.svc.cluster.local', 'shop/search.shop.svc.cluster.local', 'istio-system/*']);
  });

  it('redirects, adds CORS and routes to one version at a gateway, with its catch-all last', () => {
    const objects = synth((chart) => {
      const web = new CanaryService(chart, 'web', { port: 8080, versions: [{ name: 'v1', image, weight: 90 }, { name: 'v2', image, weight: 10 }] });
      const gw = new MeshGateway(chart, 'gw', { http: { hosts: ['shop.example.com'] } });
      gw.route({ host: 'shop.example.com', to: web });
      gw.route({ host: 'shop.example.com', path: '/old', redirect: { uri: '/new', scheme: 'https', code: 308 } });
      gw.route({
        host: 'shop.example.com',
        match: { path: '/beta', headers: { cookie: StringMatch.regex('.*beta=1.*') } },
        to: web,
        version: 'v2',
        cors: { allowOrigins: ['https://shop.example.com', StringMatch.regex('https://.*\\.example\\.com')], allowMethods: ['GET'], maxAge: 3_600_000 },
      });
    });
    const routes = http(objects, 'gw-shop-example-com');
    expect(routes.map((r: any) => Object.keys(r.match?.[0] ?? {}))).toEqual([['uri'], ['headers', 'uri'], []]);
    expect(routes[0]).toEqual({ match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new', scheme: 'https', redirectCode: 308 } });
    expect(routes[1].route).toEqual([{ destination: { host: 'web', subset: 'v2', port: { number: 8080 } } }]);
    expect(routes[1].corsPolicy).toEqual({ allowOrigins: [{ exact: 'https://shop.example.com' }, { regex: 'https://.*\\.example\\.com' }], allowMethods: ['GET'], maxAge: '3600s' });
    expect(routes[2].route.map((r: any) => r.weight)).toEqual([90, 10]);
  });
});

describe('client-side load balancing and resilience', () => {
  it('writes typed intent per service, per port and per version, next to the raw escape hatch', () => {
    const objects = synth((chart) => {
      new CanaryService(chart, 'cart', {
        ports: [ServicePort.http(8080), ServicePort.grpc(9090)],
        versions: [
          { name: 'v1', image, weight: 100 },
          { name: 'v2', image, weight: 0, loadBalancer: LoadBalancer.random(), circuitBreaker: CircuitBreaker.consecutive5xx(2, { minHealthPercent: 30 }) },
        ],
        loadBalancer: LoadBalancer.sourceIp().withLocalityFailover([{ from: 'us-east1', to: 'us-west1' }]),
        circuitBreaker: CircuitBreaker.consecutive5xx(5, { interval: 5000, maxEjectionPercent: 100 }),
        trafficPolicy: { tunnel: { targetHost: 'proxy.example.com', targetPort: 8443 } } as never,
        portTraffic: [{ port: 9090, loadBalancer: LoadBalancer.hashQueryParameter('tenant'), connectionPool: { maxRequests: 10, connectTimeout: 250 } }],
      });
    });
    const rule = find(objects, 'DestinationRule', 'cart').spec;
    expect(rule.trafficPolicy).toEqual({
      tunnel: { targetHost: 'proxy.example.com', targetPort: 8443 },
      loadBalancer: { consistentHash: { useSourceIp: true }, localityLbSetting: { enabled: true, failover: [{ from: 'us-east1', to: 'us-west1' }] } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '5s', baseEjectionTime: '30s', maxEjectionPercent: 100 },
      portLevelSettings: [
        { port: { number: 9090 }, loadBalancer: { consistentHash: { httpQueryParameterName: 'tenant' } }, connectionPool: { http: { http2MaxRequests: 10 }, tcp: { connectTimeout: '250ms' } } },
      ],
      tls: { mode: 'ISTIO_MUTUAL' },
    });
    expect(rule.subsets[1].trafficPolicy).toEqual({
      loadBalancer: { simple: 'RANDOM' },
      outlierDetection: { consecutive5xxErrors: 2, interval: '10s', baseEjectionTime: '30s', minHealthPercent: 30 },
    });
  });

  it('keeps a session on one endpoint with a sticky cookie', () => {
    const objects = synth((chart) => {
      new MeshService(chart, 'ui', { image, port: 8080, loadBalancer: LoadBalancer.stickyCookie('ui-session', '30m') });
    });
    expect(find(objects, 'DestinationRule', 'ui').spec.trafficPolicy.loadBalancer).toEqual({ consistentHash: { httpCookie: { name: 'ui-session', ttl: '30m' } } });
  });
});

describe('progressive delivery', () => {
  const rollout = (step: number): CanaryServiceProps => ({
    port: 8080,
    versions: [
      { name: 'stable', image: 'example.com/app:1' },
      { name: 'canary', image: 'example.com/app:2' },
    ],
    rollout: { stages: [5, 20, 50, 100], step },
  });
  const changed = (before: Manifest[], after: Manifest[]) =>
    after.filter((object, index) => JSON.stringify(object) !== JSON.stringify(before[index])).map((o) => `${o.kind} ${o.metadata.name}`);

  it('changes exactly one object, the VirtualService, from one step to the next', () => {
    const steps = [0, 1, 2, 3].map((step) => synth((chart) => void new CanaryService(chart, 'app', rollout(step))));
    for (let step = 1; step < steps.length; step++) expect(changed(steps[step - 1]!, steps[step]!)).toEqual(['VirtualService app']);
    expect(http(steps[1]!, 'app')[0].route.map((r: any) => r.weight)).toEqual([80, 20]);
    // promote() gives the same objects as declaring the step.
    const promoted = synth((chart) => new CanaryService(chart, 'app', rollout(0)).promote());
    expect(promoted).toEqual(steps[1]);
    expect(http(steps[3]!, 'app')[0].route).toEqual([{ destination: { host: 'app', subset: 'canary' }, weight: 100 }]);
  });

  it('leaves the weights to a controller and says what GitOps must ignore', () => {
    let canary!: CanaryService;
    const objects = synth((chart) => {
      canary = new CanaryService(chart, 'app', {
        port: 8080,
        weightsOwner: 'controller',
        versions: [
          { name: 'stable', image, weight: 100 },
          { name: 'canary', image, weight: 0 },
        ],
      });
    });
    const vs = find(objects, 'VirtualService', 'app');
    expect(vs.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' });
    expect(vs.spec.http).toEqual([
      { name: 'primary', route: [{ destination: { host: 'app', subset: 'stable' }, weight: 100 }, { destination: { host: 'app', subset: 'canary' }, weight: 0 }] },
    ]);
    expect(canary.gitOpsIgnoreDifferences()).toEqual({
      group: 'networking.istio.io',
      kind: 'VirtualService',
      name: 'app',
      namespace: 'default',
      jqPathExpressions: ['.spec.http[] | select(.name == "primary") | .route[].weight'],
    });
    expect(() => canary.setWeights({ stable: 50, canary: 50 })).toThrowError(/a controller owns the weights/);
  });
});

describe('egress', () => {
  it('passes TLS through an egress gateway that admits only declared callers, under REGISTRY_ONLY', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop', scopeSidecars: true, outboundTrafficPolicy: 'REGISTRY_ONLY' });
      const stripe = new EgressGateway(chart, 'stripe', { mesh, host: 'api.stripe.com' });
      new MeshService(chart, 'pay', { mesh, image, port: 80 }).connectTo(stripe);
    });
    expect(find(objects, 'Sidecar', 'default').spec).toEqual({ egress: [{ hosts: ['*/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(find(objects, 'Sidecar', 'pay').spec).toMatchObject({
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      egress: [{ hosts: ['shop/api.stripe.com', 'shop/stripe.shop.svc.cluster.local', 'istio-system/*'] }],
    });
    expect(find(objects, 'ServiceEntry', 'stripe').spec).toEqual({
      hosts: ['api.stripe.com'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
    });
    // The gateway terminates the sidecars' mTLS and forwards the application's TLS as a TCP stream.
    expect(find(objects, 'Gateway', 'stripe').spec.servers[0].tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    const routes = find(objects, 'VirtualService', 'stripe').spec;
    expect(routes.tls.map((r: any) => r.route[0].destination.host)).toEqual(['stripe.shop.svc.cluster.local']);
    expect(routes.tcp).toEqual([{ match: [{ gateways: ['stripe'], port: 443 }], route: [{ destination: { host: 'api.stripe.com', port: { number: 443 } } }] }]);
    expect(find(objects, 'DestinationRule', 'stripe-gateway').spec).toEqual({
      host: 'stripe.shop.svc.cluster.local',
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'api.stripe.com' } }] },
    });
    expect(find(objects, 'AuthorizationPolicy', 'stripe').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/pay'] } }], when: [{ key: 'connection.sni', values: ['api.stripe.com'] }] },
    ]);
    expect(find(objects, 'Deployment', 'stripe').spec.template.metadata.annotations['inject.istio.io/templates']).toBe('gateway');
    expect(find(objects, 'Service', 'stripe').spec.type).toBe('ClusterIP');
  });

  it.each(['passthrough', 'originate'] as const)('admits at the egress gateway exactly the declared callers, by the identity their mTLS gives it (%s)', (mode) => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop' });
      const stripe = new EgressGateway(chart, 'stripe', { mesh, host: 'api.stripe.com', mode });
      new MeshService(chart, 'pay', { mesh, image, port: 80 }).connectTo(stripe);
      new MeshService(chart, 'web', { mesh, image, port: 80 });
    });
    const port = mode === 'passthrough' ? 443 : 80;
    expect(egressHop(objects, { namespace: 'shop', serviceAccount: 'pay' }, 'api.stripe.com', port)).toEqual({
      clientTls: 'ISTIO_MUTUAL',
      serverTls: 'ISTIO_MUTUAL',
      principal: 'cluster.local/ns/shop/sa/pay',
      sni: 'api.stripe.com',
      allowed: true,
    });
    expect(egressHop(objects, { namespace: 'shop', serviceAccount: 'web' }, 'api.stripe.com', port)).toMatchObject({ principal: 'cluster.local/ns/shop/sa/web', allowed: false });
  });

  it('declares an external service with addresses, resolution, static endpoints and visibility', () => {
    const objects = synth((chart) => {
      new ExternalService(chart, 'db', { host: 'db.example.internal', ports: [ServicePort.tcp(5432, { suffix: 'postgres' })], addresses: ['10.0.0.0/24'], resolution: 'STATIC', endpoints: ['10.0.0.5'], exportTo: ['.'] });
    });
    expect(find(objects, 'ServiceEntry', 'db').spec).toEqual({
      hosts: ['db.example.internal'],
      addresses: ['10.0.0.0/24'],
      location: 'MESH_EXTERNAL',
      resolution: 'STATIC',
      ports: [{ number: 5432, name: 'tcp-postgres', protocol: 'TCP' }],
      endpoints: [{ address: '10.0.0.5' }],
      exportTo: ['.'],
    });
    const external = (props: Partial<ExternalServiceProps>) => (chart: Chart) => void new ExternalService(chart, 'db', { host: 'db.example.internal', ports: [ServicePort.tcp(5432)], ...props });
    expect(errorOf(external({ addresses: ['10.0.0.0/24'] })).message).toMatch(/test\/db addresses\[0\]: "10\.0\.0\.0\/24" is not an IP address\. .*CIDR blocks need resolution 'NONE' or 'STATIC'/);
    expect(errorOf(external({ addresses: ['10.0.0.300'] })).message).toMatch(/addresses\[0\]: "10\.0\.0\.300" is not an IP address/);
    expect(errorOf(external({ resolution: 'STATIC' })).message).toMatch(/endpoints: resolution STATIC needs endpoints/);
    expect(errorOf(external({ resolution: 'dns' as never })).message).toMatch(/resolution: resolution "dns" is not known/);
    expect(errorOf(external({ exportTo: ['Other'] })).message).toMatch(/exportTo\[0\]/);
  });

  it('originates TLS at the gateway, verifying the host', () => {
    const objects = synth((chart) => void new EgressGateway(chart, 'tax', { host: 'tax.example.org', mode: 'originate', existing: { selector: { istio: 'egressgateway' }, serviceName: 'istio-egressgateway', namespace: 'istio-system' } }));
    expect(objects.some((o) => o.kind === 'Deployment')).toBe(false);
    expect(find(objects, 'VirtualService', 'tax').spec.http.map((r: any) => r.route[0].destination)).toEqual([
      { host: 'istio-egressgateway.istio-system.svc.cluster.local', port: { number: 80 } },
      { host: 'tax.example.org', port: { number: 443 } },
    ]);
    expect(find(objects, 'DestinationRule', 'tax-origination').spec.trafficPolicy.portLevelSettings[0].tls).toEqual({
      mode: 'SIMPLE',
      sni: 'tax.example.org',
      subjectAltNames: ['tax.example.org'],
      caCertificates: '/etc/ssl/certs/ca-certificates.crt',
    });
    expect(find(objects, 'AuthorizationPolicy', 'tax').metadata.namespace).toBe('istio-system');
  });
});

describe('bad combinations are MeshformErrors naming the field', () => {
  const canary = (extra: Partial<CanaryServiceProps> = {}) => (chart: Chart) =>
    new CanaryService(chart, 'web', {
      port: 8080,
      versions: [
        { name: 'v1', image, weight: 80 },
        { name: 'v2', image, weight: 20 },
      ],
      ...extra,
    });

  it.each<[string, (chart: Chart) => unknown, RegExp]>([
    [
      'a mirror to a subset the rule already routes to',
      (chart) => {
        const web = canary()(chart);
        web.addRoute({ match: { path: '/a' }, version: 'v2', mirror: { to: web, version: 'v2' } });
      },
      /test\/web routes\[0\]\.mirror: the mirror sends copies to web \(v2\), which the rule already routes to/,
    ],
    [
      'a default-route mirror to a weighted version',
      (chart) => {
        const other = new MeshService(chart, 'other', { image, port: 80 });
        new MeshService(chart, 'self', { image, port: 80, mirror: { to: other } });
        const web = canary()(chart);
        web.addRoute({ match: { path: '/b' }, mirror: { to: web, version: 'v1' } });
      },
      /routes\[0\]\.mirror: the mirror sends copies to web \(v1\)/,
    ],
    ['a consistent hash with LEAST_REQUEST', canary({ loadBalancer: LoadBalancer.stickyCookie('s', '1h'), trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } } }), /test\/web loadBalancer: loadBalancer and trafficPolicy\.loadBalancer are both given/],
    ['both algorithms in the raw policy', canary({ trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST', consistentHash: { useSourceIp: true } } } as never }), /trafficPolicy\.loadBalancer: trafficPolicy\.loadBalancer has both simple \(LEAST_REQUEST\) and consistentHash/],
    [
      'retries on POST that may repeat it',
      (chart) => canary()(chart).addRoute({ match: { method: 'POST', path: '/orders' }, retries: { attempts: 3, retryOn: '5xx,connect-failure' } }),
      /routes\[0\]\.retries\.retryOn: the route matches POST and retries on 5xx, which can run a request twice/,
    ],
    [
      'default-route retries on 5xx for a service whose only caller may only POST',
      (chart) => {
        const web = canary({ retries: { attempts: 3, retryOn: '5xx' } })(chart);
        new MeshService(chart, 'shop', { image, port: 80 }).connectTo(web, { methods: ['POST'], paths: ['/orders'] });
      },
      /test\/web retries\.retryOn: callers admitted to web may send POST and retries on 5xx, which can run a request twice/,
    ],
    [
      'retries on a path rule, whose callers may send POST and GET',
      (chart) => {
        const web = canary()(chart);
        web.addRoute({ match: { path: '/orders' }, retries: { attempts: 2, retryOn: 'reset' } });
        const shop = new MeshService(chart, 'shop', { image, port: 80 });
        shop.connectTo(web, { methods: ['GET'] });
        shop.connectTo(web, { methods: ['POST'] });
      },
      /test\/web routes\[0\]\.retries\.retryOn: callers admitted to web may send POST and retries on reset/,
    ],
    ["Istio's default retry conditions on PATCH", (chart) => canary()(chart).addRoute({ match: { method: ['GET', 'PATCH'] }, retries: { attempts: 2 } }), /matches PATCH and retries on cancelled, retriable-status-codes/],
    ['overlapping stages', canary({ versions: [{ name: 'a', image }, { name: 'b', image }], rollout: { stages: [10, 50, 50, 100] } }), /rollout\.stages\[2\]: stage 2 \(50%\) does not follow stage 1 \(50%\)/],
    ['stages and weights', canary({ rollout: { stages: [10, 100] } }), /versions\[0\]\.weight: the version has a weight, but the rollout stages set the weights/],
    ['a stage past the last', canary({ versions: [{ name: 'a', image }, { name: 'b', image }], rollout: { stages: [10, 100], step: 2 } }), /rollout\.step: stage 2 does not exist/],
    ['a redirect with a destination', (chart) => new MeshGateway(chart, 'gw', { http: { hosts: ['*'] } }).route({ host: 'a.example.com', path: '/x', to: canary()(chart), redirect: { uri: '/' } }), /route\[0\]\.redirect: a redirect cannot be combined with a destination/],
    ['a redirect with a fault', (chart) => canary()(chart).addRoute({ match: { path: '/x' }, redirect: { uri: '/' }, fault: { abort: { httpStatus: 500, percent: 1 } } }), /routes\[0\]\.redirect: a redirect cannot be combined with fault/],
    ['a rule that neither forwards nor redirects', (chart) => new MeshGateway(chart, 'gw', { http: { hosts: ['*'] } }).route({ host: 'a.example.com' }), /route\[0\]\.to: the rule neither forwards nor redirects/],
    [
      'two catch-all routes for one host',
      (chart) => {
        const web = canary()(chart);
        const gw = new MeshGateway(chart, 'gw', { http: { hosts: ['*'] } });
        gw.route({ host: 'a.example.com', to: web });
        gw.route({ host: 'a.example.com', to: web, timeout: '1s' });
      },
      /route\[1\]\.path: host "a\.example\.com" already has a route for every request/,
    ],
    ['a service route without a match', (chart) => canary()(chart).addRoute({ match: [] }), /routes\[0\]\.match: the route has no match/],
    ['locality failover without outlier detection', canary({ loadBalancer: LoadBalancer.roundRobin().withLocalityFailover([{ from: 'a', to: 'b' }]) }), /loadBalancer: locality failover needs outlier detection/],
    ['credentials for any origin', canary({ cors: { allowOrigins: ['*'], allowCredentials: true } }), /cors\.allowCredentials: allowCredentials cannot be used with the origin '\*'/],
    ['a lower-case method', (chart) => canary()(chart).addRoute({ match: { method: 'get' as never } }), /routes\[0\]\.match\.method: "get" is not an HTTP method\. Methods are compared case-sensitively; write "GET"/],
    ['a fault percentage over 100', canary({ fault: { delay: { fixed: '1s', percent: 150 } } }), /fault\.delay\.percent: 150 is not a percentage from 0 to 100/],
    ['an abort status out of range', canary({ fault: { abort: { httpStatus: 700, percent: 1 } } }), /fault\.abort\.httpStatus: 700 is not an HTTP status/],
    ['an origin with a path', canary({ cors: { allowOrigins: ['https://a.example.com/app'] } }), /cors\.allowOrigins\[0\]: "https:\/\/a\.example\.com\/app" is not an origin/],
    ['an unknown retry condition', canary({ retries: { attempts: 2, retryOn: 'connect-failure,oops' } }), /retries\.retryOn: "oops" is not a retry condition/],
    ['a mirror to an unknown version', (chart) => new MeshService(chart, 's', { image, port: 80, mirror: { to: canary()(chart), version: 'v9' } }), /test\/s mirror\.version: web has no version "v9"/],
    ['a port policy for a port the Service lacks', canary({ portTraffic: [{ port: 9999, loadBalancer: LoadBalancer.random() }] }), /portTraffic\[0\]\.port: port 9999 is not a port of the Service/],
    ['an empty connection pool', canary({ connectionPool: {} }), /connectionPool: the connection pool sets no limit/],
    ['a circuit breaker that never trips', canary({ circuitBreaker: CircuitBreaker.consecutive5xx(0) }), /circuitBreaker\.consecutive5xxErrors: 0 is not a whole number ≥ 1/],
    ['an egress host with a scheme', (chart) => new EgressGateway(chart, 'e', { host: 'https://api.example.com' }), /test\/e host: "https:\/\/api\.example\.com" is not an external host name/],
    [
      'an existing egress gateway with an empty selector (an ALLOW policy on every workload of the mesh)',
      (chart) => new EgressGateway(chart, 'e', { host: 'api.example.com', existing: { selector: {}, serviceName: 'istio-egressgateway', namespace: 'istio-system' } }),
      /test\/e existing\.selector: the selector is empty, so it selects every pod/,
    ],
    [
      'an existing egress gateway without a namespace',
      (chart) => new EgressGateway(chart, 'e', { host: 'api.example.com', existing: { selector: { istio: 'egressgateway' }, serviceName: 'istio-egressgateway', namespace: '' } }),
      /test\/e existing\.namespace/,
    ],
    ['a gateway selector that selects every pod', (chart) => new MeshGateway(chart, 'gw', { selector: {}, http: { hosts: ['*'] } }), /test\/gw selector: the selector is empty, so it selects every pod/],
    ['a wildcard in a gateway selector', (chart) => new MeshGateway(chart, 'gw', { selector: { istio: '*' }, http: { hosts: ['*'] } }), /test\/gw selector\.istio: "\*" is not a label value/],
    ['an egress HTTP port equal to its TLS port', (chart) => new EgressGateway(chart, 'e', { host: 'api.example.com', mode: 'originate', httpPort: 443 }), /httpPort: httpPort and port are both 443/],
    ['an empty match', (chart) => canary()(chart).addRoute({ match: {} }), /routes\[0\]\.match: the match is empty and would take every request/],
    ['an invalid header name', (chart) => canary()(chart).addRoute({ match: { headers: { 'bad header': 'x' } } }), /routes\[0\]\.match\.headers\.bad header: "bad header" is not a valid name/],
  ])('%s', (_name, build, message) => {
    expect(errorOf(build).message).toMatch(message);
  });

  it('lets default-route retries stand where an admitted caller may send an idempotent or any method', () => {
    const retried = (connect: (chart: Chart, web: CanaryService) => void) =>
      http(
        synth((chart) => {
          const web = canary({ retries: { attempts: 3, retryOn: '5xx' } })(chart);
          connect(chart, web);
        }),
        'web',
      ).at(-1).retries;
    expect(retried((chart, web) => new MeshService(chart, 'shop', { image, port: 80 }).connectTo(web, { methods: ['GET', 'HEAD'] }))).toEqual({ attempts: 3, retryOn: '5xx' });
    expect(
      retried((chart, web) => {
        new MeshService(chart, 'shop', { image, port: 80 }).connectTo(web, { methods: ['POST'] });
        new MeshService(chart, 'admin', { image, port: 80 }).connectTo(web);
      }),
    ).toEqual({ attempts: 3, retryOn: '5xx' });
    // Retrying only before the server saw the request is safe for POST too.
    expect(
      http(
        synth((chart) => {
          const web = canary({ retries: { attempts: 3, retryOn: 'connect-failure,refused-stream' } })(chart);
          new MeshService(chart, 'shop', { image, port: 80 }).connectTo(web, { methods: ['POST'] });
        }),
        'web',
      ).at(-1).retries,
    ).toEqual({ attempts: 3, retryOn: 'connect-failure,refused-stream' });
  });

  it('refuses stage weights and setWeights on a staged rollout, and a mirror clash after setWeights', () => {
    synth((chart) => {
      const staged = new CanaryService(chart, 'staged', { port: 80, versions: [{ name: 'a', image }, { name: 'b', image }], rollout: { stages: [10, 100] } });
      expect(() => staged.setWeights({ a: 50, b: 50 })).toThrowError(/staged setWeights: the weights follow the rollout stages/);
      const web = new CanaryService(chart, 'web', { port: 80, versions: [{ name: 'v1', image, weight: 100 }, { name: 'v2', image, weight: 0 }] });
      web.addRoute({ match: { path: '/dark' }, mirror: { to: web, version: 'v2' } });
      expect(() => web.setWeights({ v1: 50, v2: 50 })).toThrowError(/routes\[0\]\.mirror: the mirror sends copies to web \(v2\)/);
      expect(web.currentWeights()).toEqual([{ name: 'v1', weight: 100 }, { name: 'v2', weight: 0 }]);
    });
  });
});
