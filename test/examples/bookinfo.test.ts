import { describe, expect, it } from 'vitest';
import { bookinfo } from '../../examples/bookinfo.js';
import { analyze, footprintAsTable, proxyFootprint, type KubeObject } from '../../src/index.js';
import { stringify } from 'yaml';
import { cli, tempFiles } from '../support/cli.js';
import { CORPUS, corpusPath, find, readYamlDocuments, synthExample, type Manifest } from '../support/synth.js';

const objects = synthExample(bookinfo);
const samples = (file: string) => readYamlDocuments(corpusPath('reference/istio/samples/bookinfo', file));

describe('Bookinfo', () => {
  it('synthesizes the kinds the sample deploys', () => {
    const counts = Object.fromEntries(
      ['Namespace', 'PeerAuthentication', 'ServiceAccount', 'Service', 'Deployment', 'Gateway', 'VirtualService', 'DestinationRule'].map(
        (kind) => [kind, objects.filter((o) => o.kind === kind).length],
      ),
    );
    expect(counts).toEqual({
      Namespace: 1,
      PeerAuthentication: 2,
      ServiceAccount: 4,
      Service: 4,
      Deployment: 6,
      Gateway: 1,
      VirtualService: 2,
      DestinationRule: 4,
    });
  });
});

describe('Bookinfo secured and observed', () => {
  const policies = objects.filter((o) => o.kind === 'AuthorizationPolicy');
  const principal = (account: string) => `cluster.local/ns/bookinfo/sa/${account}`;

  it('allows each server exactly its declared callers and operations, under an allow-nothing default', () => {
    expect(find(objects, 'AuthorizationPolicy', 'allow-nothing')).toMatchObject({ metadata: { namespace: 'bookinfo' }, spec: {} });
    const allowed = Object.fromEntries(policies.filter((p) => p.spec.action === 'ALLOW').map((p) => [p.metadata.name, p.spec.rules]));
    expect(allowed).toEqual({
      details: [{ from: [{ source: { principals: [principal('bookinfo-productpage')] } }], to: [{ operation: { methods: ['GET'], paths: ['/details/*'] } }] }],
      ratings: [{ from: [{ source: { principals: [principal('bookinfo-reviews')] } }], to: [{ operation: { methods: ['GET'], paths: ['/ratings/*'] } }] }],
      reviews: [{ from: [{ source: { principals: [principal('bookinfo-productpage')] } }], to: [{ operation: { methods: ['GET'], paths: ['/reviews/*'] } }] }],
      productpage: [{ from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } }] }],
    });
  });

  it('requires a JWT with the readers group on the product API at the gateway', () => {
    const issuer = 'https://auth.bookinfo.example.com/';
    expect(find(objects, 'RequestAuthentication', 'bookinfo-gateway')).toMatchObject({
      metadata: { namespace: 'istio-system' },
      spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, jwtRules: [{ issuer, jwksUri: `${issuer}.well-known/jwks.json`, audiences: ['bookinfo'] }] },
    });
    expect(find(objects, 'AuthorizationPolicy', 'bookinfo-gateway-require-jwt').spec).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      action: 'DENY',
      rules: [
        { from: [{ source: { notRequestPrincipals: [`${issuer}/*`] } }], to: [{ operation: { paths: ['/api/v1/products/*'] } }] },
        { to: [{ operation: { paths: ['/api/v1/products/*'] } }], when: [{ key: 'request.auth.claims[groups]', notValues: ['readers'] }] },
      ],
    });
  });

  it('traces at the chosen sampling, logs only failed requests and trims a metric dimension', () => {
    expect(find(objects, 'Telemetry', 'default').spec).toEqual({
      tracing: [
        {
          randomSamplingPercentage: 10,
          customTags: { cluster: { environment: { name: 'ISTIO_META_CLUSTER_ID', defaultValue: 'unknown' } }, 'user-agent': { header: { name: 'user-agent' } } },
        },
      ],
      accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }],
      metrics: [{ providers: [{ name: 'prometheus' }], overrides: [{ match: { metric: 'REQUEST_COUNT', mode: 'CLIENT_AND_SERVER' }, tagOverrides: { request_protocol: { operation: 'REMOVE' } } }] }],
    });
    expect(find(synthExample((scope) => bookinfo(scope, { tracingSamplingPercentage: 100 })), 'Telemetry', 'default').spec.tracing[0].randomSamplingPercentage).toBe(100);
  });

  it('passes meshform analyze with no Error or Warning', () => {
    expect(analyze(objects as KubeObject[]).filter((d) => d.level !== 'Info')).toEqual([]);
  });

  it('shows what scoping the sidecars saves each proxy', async () => {
    const footprint = proxyFootprint(objects as KubeObject[]);
    const rows = Object.fromEntries(footprint.workloads.map((row) => [row.workload, [row.meshWide.services, row.scoped.services, row.meshWide.endpoints, row.scoped.endpoints]]));
    // 4 Services behind 6 single-replica Deployments; each proxy keeps only what it calls.
    expect(rows).toEqual({
      'Deployment bookinfo/details-v1': [4, 0, 6, 0],
      'Deployment bookinfo/productpage-v1': [4, 2, 6, 4],
      'Deployment bookinfo/ratings-v1': [4, 0, 6, 0],
      'Deployment bookinfo/reviews-v1': [4, 1, 6, 1],
      'Deployment bookinfo/reviews-v2': [4, 1, 6, 1],
      'Deployment bookinfo/reviews-v3': [4, 1, 6, 1],
    });
    expect(footprint.total).toEqual({ meshWide: { services: 24, endpoints: 36 }, scoped: { services: 5, endpoints: 7 } });
    const table = footprintAsTable(footprint);
    expect(table.trimEnd().split('\n').at(-1)).toMatch(/^total \(6 workloads\)\s+24 → 5 \(−79%\)\s+36 → 7 \(−81%\)$/);
    const dir = tempFiles({ 'bookinfo.yaml': objects.map((o) => stringify(o)).join('---\n') });
    const run = await cli('graph', '--footprint', dir);
    expect(run).toMatchObject({ code: 0, stdout: table });
  });

  it('draws the declared call graph with the operations of each edge', async () => {
    const dir = tempFiles({ 'bookinfo.yaml': objects.map((o) => stringify(o)).join('---\n') });
    const { code, stdout } = await cli('graph', '--edges', dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Deployment bookinfo\/productpage-v1/);
    const edge = (from: string, to: string, label: string) => {
      const id = (name: string) => new RegExp(`(n\\d+)\\("${name.replace('/', '\\/')}"\\)`).exec(stdout)![1];
      return `${id(from)} -->|${label}| ${id(to)}`;
    };
    expect(stdout).toContain(edge('Deployment bookinfo/productpage-v1', 'Deployment bookinfo/details-v1', 'GET /details/*'));
    expect(stdout).toContain(edge('Deployment bookinfo/reviews-v2', 'Deployment bookinfo/ratings-v1', 'GET /ratings/*'));
  });
});

describe.skipIf(!CORPUS)("Bookinfo against Istio's own samples (../shared/corpus)", () => {
  it('splits reviews 80/20 between v1 and v2 exactly as virtual-service-reviews-80-20.yaml', () => {
    const [sample] = samples('networking/virtual-service-reviews-80-20.yaml');
    const ours = find(objects, 'VirtualService', 'reviews');
    expect(ours.spec.hosts).toEqual(sample!.spec.hosts);
    // Our weighted route is the default (last) route; header pins come before it.
    expect(ours.spec.http.at(-1).route).toEqual(sample!.spec.http[0].route);
  });

  it('declares the subsets of destination-rule-all-mtls.yaml, with ISTIO_MUTUAL', () => {
    const byName = new Map(samples('networking/destination-rule-all-mtls.yaml').map((dr) => [dr.metadata.name, dr]));
    for (const name of ['productpage', 'reviews', 'details', 'ratings']) {
      const ours = find(objects, 'DestinationRule', name).spec;
      const sample = byName.get(name)!.spec;
      expect(ours.host).toBe(sample.host);
      expect(ours.trafficPolicy.tls).toEqual(sample.trafficPolicy.tls);
      // Each of our subsets is the sample's subset of the same name (the sample also lists versions we do not deploy).
      for (const subset of ours.subsets) {
        expect(sample.subsets).toContainEqual(subset);
      }
    }
    expect(find(objects, 'DestinationRule', 'reviews').spec.subsets).toEqual(byName.get('reviews')!.spec.subsets);
  });

  it('publishes productpage like bookinfo-gateway.yaml', () => {
    const docs = samples('networking/bookinfo-gateway.yaml');
    const sampleGateway = docs.find((d) => d.kind === 'Gateway')!;
    const sampleRoute = docs.find((d) => d.kind === 'VirtualService')!;
    const gateway = find(objects, 'Gateway', sampleGateway.metadata.name);
    // One deliberate difference: the sample listens on the pods' port 8080, we on the Service port
    // 80, which Istio translates and which the analyzer can verify against the gateway Service.
    expect(sampleGateway.spec.servers[0].port.number).toBe(8080);
    expect(gateway.spec.servers[0].port.number).toBe(80);
    const withoutPortNumber = (spec: any) => ({ ...spec, servers: spec.servers.map((s: any) => ({ ...s, port: { ...s.port, number: 0 } })) });
    expect(withoutPortNumber(gateway.spec)).toEqual(withoutPortNumber(sampleGateway.spec));
    const route = objects.find((o: Manifest) => o.kind === 'VirtualService' && o.spec.gateways?.includes(sampleGateway.metadata.name))!;
    expect(route.spec).toEqual(sampleRoute.spec);
  });

  it('runs the services, ports and accounts of platform/kube/bookinfo.yaml', () => {
    const sample = samples('platform/kube/bookinfo.yaml');
    const pick = (list: readonly Manifest[], kind: string) =>
      list
        .filter((o) => o.kind === kind)
        .map((o) => o.metadata.name)
        .sort();
    expect(pick(objects, 'Service')).toEqual(pick(sample, 'Service'));
    expect(pick(objects, 'ServiceAccount')).toEqual(pick(sample, 'ServiceAccount'));
    expect(pick(objects, 'Deployment')).toEqual(pick(sample, 'Deployment'));
    for (const service of sample.filter((o) => o.kind === 'Service')) {
      const ours = find(objects, 'Service', service.metadata.name);
      expect(ours.spec.ports.map((p: { port: number; name: string }) => [p.port, p.name])).toEqual(
        service.spec.ports.map((p: { port: number; name: string }) => [p.port, p.name]),
      );
      expect(ours.spec.selector).toEqual(service.spec.selector);
    }
    for (const deployment of sample.filter((o) => o.kind === 'Deployment')) {
      const ours = find(objects, 'Deployment', deployment.metadata.name);
      // Plus the label that asks Istio's webhook for a sidecar (the sample relies on the namespace label alone).
      expect(ours.spec.template.metadata.labels).toEqual({ ...deployment.spec.template.metadata.labels, 'sidecar.istio.io/inject': 'true' });
      expect(ours.spec.template.spec.serviceAccountName).toBe(deployment.spec.template.spec.serviceAccountName);
    }
  });
});
