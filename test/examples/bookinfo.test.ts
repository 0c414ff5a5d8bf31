import { describe, expect, it } from 'vitest';
import { bookinfo } from '../../examples/bookinfo.js';
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
      PeerAuthentication: 1,
      ServiceAccount: 4,
      Service: 4,
      Deployment: 6,
      Gateway: 1,
      VirtualService: 2,
      DestinationRule: 4,
    });
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
