import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { VirtualService } from '../../imports/index.js';
import {
  CanaryService,
  HealthCheck,
  Mesh,
  MeshformError,
  MeshGateway,
  MeshJob,
  MeshService,
  PathMatch,
  ServicePort,
} from '../../src/index.js';
import { errorOf, find, kinds, synth } from '../support/synth.js';

const image = 'example.com/app:1.0';

describe('Mesh', () => {
  it('labels the namespace for injection and enforces STRICT mTLS by default', () => {
    const objects = synth((chart) => new Mesh(chart, 'shop'));
    expect(find(objects, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    const pa = find(objects, 'PeerAuthentication', 'default');
    expect(pa.metadata.namespace).toBe('shop');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  it('uses the revision label and PERMISSIVE when asked', () => {
    const objects = synth((chart) => new Mesh(chart, 'm', { namespace: 'shop', revision: 'canary', mtls: 'PERMISSIVE' }));
    expect(find(objects, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/rev': 'canary' });
    expect(find(objects, 'PeerAuthentication', 'default').spec.mtls.mode).toBe('PERMISSIVE');
  });

  it('puts the Namespace before the objects that live in it', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'shop');
      new MeshService(chart, 'web', { mesh, image, port: 8080 });
    });
    expect(objects[0]!.kind).toBe('Namespace');
  });

  it('refuses a namespace that is not a DNS label', () => {
    expect(() => synth((chart) => new Mesh(chart, 'm', { namespace: 'Shop_1' }))).toThrowError(
      /test\/m namespace: "Shop_1" is not a valid name.*Did you mean "shop-1"\?/,
    );
  });
});

describe('MeshService', () => {
  const build = () =>
    synth((chart) => {
      const mesh = new Mesh(chart, 'shop');
      new MeshService(chart, 'web', {
        mesh,
        image,
        ports: [ServicePort.http(8080), ServicePort.grpc(9090, { suffix: 'api' }), ServicePort.http2(8443, { name: 'legacy' })],
        replicas: 3,
        env: { MODE: 'prod' },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        readiness: HealthCheck.http('/ready', { periodSeconds: 5 }),
      });
    });

  it('renders ServiceAccount, Deployment, Service, DestinationRule and AuthorizationPolicy', () => {
    expect(kinds(build())).toEqual([
      'Namespace -/shop',
      'PeerAuthentication shop/default',
      'AuthorizationPolicy shop/allow-nothing',
      'ServiceAccount shop/web',
      'Service shop/web',
      'DestinationRule shop/web',
      'AuthorizationPolicy shop/web',
      'Deployment shop/web-v1',
    ]);
  });

  it('names Service ports after Istio protocols and labels pods app/version', () => {
    const objects = build();
    expect(find(objects, 'Service', 'web').spec.ports.map((p: { name: string; appProtocol?: string }) => [p.name, p.appProtocol])).toEqual([
      ['http', undefined],
      ['grpc-api', undefined],
      ['legacy', 'http2'],
    ]);
    const deployment = find(objects, 'Deployment', 'web-v1');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.metadata.labels).toEqual({ app: 'web', 'sidecar.istio.io/inject': 'true', version: 'v1' });
    expect(deployment.metadata.labels).toEqual({ app: 'web', version: 'v1' });
    const container = deployment.spec.template.spec.containers[0];
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(container.env).toEqual([{ name: 'MODE', value: 'prod' }]);
    expect(deployment.spec.template.spec.serviceAccountName).toBe('web');
  });

  it('secures callers with ISTIO_MUTUAL and a subset for its version', () => {
    expect(find(build(), 'DestinationRule', 'web').spec).toEqual({
      host: 'web',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
  });

  it('admits exactly the ServiceAccounts that connect to it', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'shop');
      const api = new MeshService(chart, 'api', { mesh, image, port: 8080 });
      const web = new MeshService(chart, 'web', { mesh, image, port: 8080, serviceAccountName: 'web-sa' });
      const other = new MeshService(chart, 'batch', { namespace: 'jobs', image, port: 8080 });
      web.connectTo(api);
      other.connectTo(api);
    });
    expect(find(objects, 'AuthorizationPolicy', 'api').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/jobs/sa/batch', 'cluster.local/ns/shop/sa/web-sa'] } }] },
    ]);
    // Nobody connects to web: an ALLOW policy without rules denies everything.
    expect(find(objects, 'AuthorizationPolicy', 'web').spec).toEqual({ action: 'ALLOW', selector: { matchLabels: { app: 'web' } } });
  });

  it('explains missing or conflicting ports', () => {
    expect(() => synth((chart) => new MeshService(chart, 'web', { image }))).toThrowError(/test\/web port: the workload exposes no port/);
    expect(() =>
      synth((chart) => new MeshService(chart, 'web', { image, ports: [ServicePort.http(80), ServicePort.http(81)] })),
    ).toThrowError(/two ports share the name http/);
    expect(() => synth((chart) => new MeshService(chart, 'web', { image, port: 1, ports: [] }))).toThrowError(/both port and ports/);
  });

  it('refuses an empty image and a bad replica count', () => {
    expect(() => synth((chart) => new MeshService(chart, 'web', { image: ' ', port: 80 }))).toThrowError(/test\/web image: the image is empty/);
    expect(() => synth((chart) => new MeshService(chart, 'web', { image, port: 80, replicas: 1.5 }))).toThrowError(/replicas: replicas is 1.5. Give a whole number/);
  });

  it('takes the chart namespace when no mesh is given', () => {
    const objects = synth((chart) => new MeshService(chart, 'web', { image, port: 80 }), 'team-a');
    expect(find(objects, 'Service', 'web').metadata.namespace).toBe('team-a');
  });
});

describe('CanaryService', () => {
  const versions = [
    { name: 'v1', image: 'reviews:v1', weight: 80 },
    { name: 'v2', image: 'reviews:v2', weight: 20, pinnedBy: { 'X-Canary': 'v2' } },
  ];

  it('renders one Service, a Deployment per version, subsets and a weighted default route', () => {
    const objects = synth((chart) => new CanaryService(chart, 'reviews', { namespace: 'shop', port: 9080, versions }));
    expect(objects.filter((o) => o.kind === 'Service')).toHaveLength(1);
    expect(find(objects, 'Deployment', 'reviews-v2').spec.template.spec.containers[0].image).toBe('reviews:v2');
    expect(find(objects, 'DestinationRule', 'reviews').spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ]);
    const http = find(objects, 'VirtualService', 'reviews').spec.http;
    expect(http).toEqual([
      {
        name: 'pin-v2',
        match: [{ headers: { 'x-canary': { exact: 'v2' } } }],
        route: [{ destination: { host: 'reviews', subset: 'v2' } }],
      },
      {
        route: [
          { destination: { host: 'reviews', subset: 'v1' }, weight: 80 },
          { destination: { host: 'reviews', subset: 'v2' }, weight: 20 },
        ],
      },
    ]);
    // The last route has no match: the default route always exists.
    expect(http.at(-1).match).toBeUndefined();
  });

  it('refuses weights that do not add up to 100, naming the construct', () => {
    const run = () =>
      synth((chart) =>
        new CanaryService(chart, 'reviews', {
          port: 9080,
          versions: [
            { name: 'v1', image, weight: 70 },
            { name: 'v2', image, weight: 20 },
          ],
        }),
      );
    expect(run).toThrowError(MeshformError);
    expect(run).toThrowError('test/reviews weight: weights of reviews add up to 90 (v1=70, v2=20); they must add up to 100. Give 10 more to one of them.');
  });

  it('changes only the VirtualService when weights change', () => {
    const render = (stage?: Record<string, number>) =>
      synth((chart) => {
        const canary = new CanaryService(chart, 'reviews', { port: 9080, versions, timeout: 5000 });
        if (stage) canary.setWeights(stage);
      });
    const before = render();
    const after = render({ v1: 50, v2: 50 });
    const changed = after.filter((object, index) => JSON.stringify(object) !== JSON.stringify(before[index]));
    expect(kinds(changed)).toEqual(['VirtualService default/reviews']);
    expect(find(after, 'VirtualService', 'reviews').spec.http[1]).toEqual({
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
        { destination: { host: 'reviews', subset: 'v2' }, weight: 50 },
      ],
      timeout: '5s',
    });
  });

  it('explains unknown versions, duplicate versions and bad stage weights', () => {
    const chart = Testing.chart();
    const canary = new CanaryService(chart, 'reviews', { port: 9080, versions });
    expect(() => canary.setWeights({ v3: 10 })).toThrowError(/there is no version "v3". Versions are v1, v2/);
    expect(() => canary.setWeights({ v1: 95 })).toThrowError(/add up to 115/);
    expect(() =>
      new CanaryService(Testing.chart(), 'r', { port: 80, versions: [versions[0]!, { ...versions[0]!, weight: 0 }] }),
    ).toThrowError(/version "v1" is declared twice/);
    expect(() => new CanaryService(Testing.chart(), 'r', { port: 80, versions: [] })).toThrowError(/at least one version/);
  });
});

describe('MeshGateway', () => {
  it('serves HTTP with an HTTPS redirect and HTTPS with a credential', () => {
    const objects = synth((chart) => {
      new MeshGateway(chart, 'edge', {
        namespace: 'shop',
        http: { hosts: ['shop.example.com'], httpsRedirect: true },
        https: { hosts: ['shop.example.com'], credentialName: 'shop-cert', mode: 'MUTUAL' },
      });
    });
    expect(find(objects, 'Gateway', 'edge').spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
        {
          port: { number: 443, name: 'https', protocol: 'HTTPS' },
          hosts: ['shop.example.com'],
          tls: { mode: 'MUTUAL', credentialName: 'shop-cert', minProtocolVersion: 'TLSV1_2' },
        },
      ],
    });
  });

  it('has cert-manager issue the HTTPS credential beside the gateway pods, for the listener hosts', () => {
    const objects = synth((chart) => {
      new MeshGateway(chart, 'edge', {
        namespace: 'shop',
        https: { hosts: ['shop/shop.example.com', '*.shop.example.com'], credentialName: 'shop-cert', certificate: { issuer: { name: 'internal', kind: 'Issuer' }, duration: '2160h', renewBefore: '360h' } },
      });
      new MeshGateway(chart, 'own', { namespace: 'shop', deployment: {}, https: { hosts: ['own.example.com'], credentialName: 'own-cert', certificate: { issuer: { name: 'letsencrypt' } } } });
    });
    const certificate = find(objects, 'Certificate', 'shop-cert');
    // A shared ingress gateway reads credentials in its own namespace, not the Gateway object's.
    expect(certificate.metadata.namespace).toBe('istio-system');
    expect(certificate.spec).toEqual({
      secretName: 'shop-cert',
      dnsNames: ['shop.example.com', '*.shop.example.com'],
      issuerRef: { name: 'internal', kind: 'Issuer', group: 'cert-manager.io' },
      duration: '2160h',
      renewBefore: '360h',
    });
    expect(find(objects, 'Certificate', 'own-cert').metadata.namespace).toBe('shop');
    const https = (certificate: object, hosts = ['shop.example.com']) => (chart: Chart) =>
      void new MeshGateway(chart, 'edge', { https: { hosts, credentialName: 'c', certificate: certificate as never } });
    expect(errorOf(https({ issuer: { name: 'le' } }, ['*'])).message).toMatch(/test\/edge https\.certificate: "\*" cannot be a certificate's DNS name/);
    expect(errorOf(https({ issuer: { name: 'le' }, duration: '90d' })).message).toMatch(/https\.certificate\.duration: duration "90d" is not a duration/);
    expect(errorOf(https({ issuer: { name: 'le', kind: 'Vault' } })).message).toMatch(/https\.certificate\.issuer\.kind: issuer kind "Vault" is not known/);
    expect(errorOf(https({})).message).toMatch(/https\.certificate\.issuer: issuer is required\. Give issuer\./);
  });

  it('binds routes to the gateway, weighted for a canary, and admits the gateway identity', () => {
    const objects = synth((chart) => {
      const gw = new MeshGateway(chart, 'edge', { namespace: 'shop', http: { hosts: ['*.example.com'] } });
      const canary = new CanaryService(chart, 'web', {
        namespace: 'shop',
        port: 8080,
        versions: [
          { name: 'v1', image, weight: 90 },
          { name: 'v2', image, weight: 10 },
        ],
      });
      gw.route({ host: 'shop.example.com', path: ['/api', PathMatch.exact('/')], to: canary, timeout: '3s' });
    });
    const vs = find(objects, 'VirtualService', 'edge-shop-example-com');
    expect(vs.spec).toEqual({
      hosts: ['shop.example.com'],
      gateways: ['edge'],
      http: [
        {
          match: [{ uri: { prefix: '/api' } }, { uri: { exact: '/' } }],
          route: [
            { destination: { host: 'web', subset: 'v1', port: { number: 8080 } }, weight: 90 },
            { destination: { host: 'web', subset: 'v2', port: { number: 8080 } }, weight: 10 },
          ],
          timeout: '3s',
        },
      ],
    });
    expect(find(objects, 'AuthorizationPolicy', 'web').spec.rules[0].from[0].source.principals).toEqual([
      'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
    ]);
  });

  it('refuses a host the gateway does not serve', () => {
    const chart = Testing.chart();
    const gw = new MeshGateway(chart, 'edge', { http: { hosts: ['shop.example.com'] } });
    const web = new MeshService(chart, 'web', { image, port: 80 });
    expect(() => gw.route({ host: 'admin.example.com', to: web })).toThrowError(
      /edge route.host: host "admin.example.com" is not served by gateway edge \(it serves "shop.example.com"\)\. Add the host/,
    );
    expect(() => gw.route({ host: 'shop.example.com', path: 'api', to: web })).toThrowError(/Did you mean "\/api"\?/);
  });

  it('needs at least one listener', () => {
    expect(() => new MeshGateway(Testing.chart(), 'edge', {})).toThrowError(/the gateway has no listener/);
  });
});

describe('synth-time schema validation', () => {
  it('fails the synth with the construct path and the schema error, before writing anything', () => {
    const app = new App({ outdir: `${Testing.app().outdir}/never-written` });
    const chart = new Chart(app, 'broken');
    new MeshService(chart, 'web', { image, port: 80 });
    new VirtualService(chart, 'raw', {
      metadata: { name: 'raw' },
      spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' }, weight: 'eighty' as unknown as number }] }] },
    });
    expect(() => app.synth()).toThrowError(MeshformError);
    expect(() => app.synth()).toThrowError(/\[broken\/raw\] VirtualService raw: \/spec\/http\/0\/route\/0\/weight must be integer/);
  });
});

describe('scoped sidecars', () => {
  it('limit each proxy to the services its workload connects to and the control plane', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'shop', { scopeSidecars: true });
      const reviews = new MeshService(chart, 'reviews', { mesh, image, port: 9080 });
      const ratings = new MeshService(chart, 'ratings', { namespace: 'data', image, port: 9080 });
      const web = new MeshService(chart, 'web', { mesh, image, port: 8080 });
      web.connectTo(reviews);
      web.connectTo(ratings);
      new MeshJob(chart, 'report', { mesh, image }).connectTo(reviews);
    });
    expect(find(objects, 'Sidecar', 'web').spec).toEqual({
      workloadSelector: { labels: { app: 'web' } },
      egress: [{ hosts: ['data/ratings.data.svc.cluster.local', 'shop/reviews.shop.svc.cluster.local', 'istio-system/*'] }],
    });
    expect(find(objects, 'Sidecar', 'report').spec.egress[0].hosts).toEqual(['shop/reviews.shop.svc.cluster.local', 'istio-system/*']);
    expect(find(objects, 'Sidecar', 'reviews').spec.egress[0].hosts).toEqual(['istio-system/*']);
    // Only workloads of a scoped mesh get one.
    expect(objects.filter((o) => o.kind === 'Sidecar').map((o) => o.metadata.name).sort()).toEqual(['report', 'reviews', 'web']);
  });
});

describe('MeshGateway with its own proxies', () => {
  it('deploys the gateway from Istio gateway template, exposes the listener ports and admits its identity', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'shop', { injection: 'manual' });
      const web = new MeshService(chart, 'web', { mesh, image, port: 8080 });
      new MeshGateway(chart, 'edge', { mesh, http: { hosts: ['shop.example.com'] }, deployment: { replicas: 3, serviceType: 'NodePort' } }).route({
        host: 'shop.example.com',
        to: web,
      });
    });
    expect(find(objects, 'Gateway', 'edge').spec.selector).toEqual({ istio: 'edge' });
    const deployment = find(objects, 'Deployment', 'edge');
    expect(deployment.spec.replicas).toBe(3);
    const proxy = deployment.spec.template.spec.containers.find((c: any) => c.name === 'istio-proxy');
    expect(proxy.args.slice(0, 2)).toEqual(['proxy', 'router']);
    expect(find(objects, 'Service', 'edge').spec).toMatchObject({ type: 'NodePort', selector: { istio: 'edge' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] });
    expect(find(objects, 'AuthorizationPolicy', 'web').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/edge']);
  });
});
