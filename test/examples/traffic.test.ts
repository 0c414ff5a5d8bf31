import { describe, expect, it } from 'vitest';
import { CART_STAGES, traffic } from '../../examples/traffic.js';
import { analyze } from '../../src/index.js';
import { find, synthExample, type Manifest } from '../support/synth.js';

const objects = synthExample(traffic);
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
const httpRoutes = ofKind('VirtualService').flatMap((vs) => (vs.spec.http ?? []) as any[]);
const matches = httpRoutes.flatMap((route) => (route.match ?? []) as any[]);
const policies = ofKind('DestinationRule').flatMap((dr) => [dr.spec.trafficPolicy, ...(dr.spec.trafficPolicy?.portLevelSettings ?? []), ...(dr.spec.subsets ?? []).map((s: any) => s.trafficPolicy)]).filter(Boolean);

describe('examples/traffic uses every traffic feature', () => {
  it.each<[string, () => boolean]>([
    ['URI exact match', () => matches.some((m) => m.uri?.exact)],
    ['URI prefix match', () => matches.some((m) => m.uri?.prefix)],
    ['URI regex match', () => matches.some((m) => m.uri?.regex)],
    ['header match', () => matches.some((m) => m.headers)],
    ['query parameter match', () => matches.some((m) => m.queryParams)],
    ['method match', () => matches.some((m) => m.method)],
    ['source label match', () => matches.some((m) => m.sourceLabels)],
    ['rewrite', () => httpRoutes.some((r) => r.rewrite?.uri)],
    ['redirect', () => httpRoutes.some((r) => r.redirect)],
    ['per-route timeout', () => httpRoutes.some((r) => r.match && r.timeout)],
    ['retries with attempts, per-try timeout and retryOn', () => httpRoutes.some((r) => r.retries?.attempts && r.retries.perTryTimeout && r.retries.retryOn)],
    ['fault delay', () => httpRoutes.some((r) => r.fault?.delay?.percentage)],
    ['fault abort', () => httpRoutes.some((r) => r.fault?.abort?.percentage)],
    ['mirroring with a percentage', () => httpRoutes.some((r) => r.mirror && r.mirrorPercentage)],
    ['CORS', () => httpRoutes.some((r) => r.corsPolicy?.allowOrigins)],
    ['ROUND_ROBIN', () => policies.some((p) => p.loadBalancer?.simple === 'ROUND_ROBIN')],
    ['LEAST_REQUEST', () => policies.some((p) => p.loadBalancer?.simple === 'LEAST_REQUEST')],
    ['consistent hash on a header', () => policies.some((p) => p.loadBalancer?.consistentHash?.httpHeaderName)],
    ['sticky cookie with a TTL', () => policies.some((p) => p.loadBalancer?.consistentHash?.httpCookie?.ttl)],
    ['locality failover', () => policies.some((p) => p.loadBalancer?.localityLbSetting?.failover)],
    ['connection pool', () => policies.some((p) => p.connectionPool?.tcp && p.connectionPool?.http)],
    ['outlier detection', () => policies.some((p) => p.outlierDetection?.consecutive5xxErrors)],
    ['per-port settings', () => policies.some((p) => p.portLevelSettings)],
    ['per-subset settings', () => ofKind('DestinationRule').some((dr) => dr.spec.subsets?.some((s: any) => s.trafficPolicy))],
    ['a staged canary', () => httpRoutes.some((r) => r.route?.map((d: any) => d.weight).join() === `${100 - CART_STAGES[0]!},${CART_STAGES[0]}`)],
    ['a canary whose weights a controller owns', () => httpRoutes.some((r) => r.name === 'primary')],
    ['TLS passthrough to an external host', () => ofKind('VirtualService').some((vs) => vs.spec.tcp?.some((r: any) => r.match?.some((m: any) => !m.gateways?.includes('mesh'))))],
    ['TLS origination', () => ofKind('DestinationRule').some((dr) => dr.spec.trafficPolicy?.portLevelSettings?.some((p: any) => p.tls?.mode === 'SIMPLE'))],
    ['ServiceEntries', () => ofKind('ServiceEntry').length === 2],
    ['REGISTRY_ONLY', () => ofKind('Sidecar').some((s) => !s.spec.workloadSelector && s.spec.outboundTrafficPolicy?.mode === 'REGISTRY_ONLY')],
  ])('%s', (_feature, present) => {
    expect(present()).toBe(true);
  });

  it('passes meshform analyze with every analyzer and no Error or Warning: cert-manager issues its TLS Secret', () => {
    expect(analyze(objects).filter((d) => d.level !== 'Info').map((d) => `${d.level} ${d.code} ${d.message}`)).toEqual([]);
    const certificate = find(objects, 'Certificate', 'shop-example-com-tls');
    expect(certificate.metadata.namespace).toBe('storefront');
    expect(certificate.spec).toEqual({
      secretName: 'shop-example-com-tls',
      dnsNames: ['shop.example.com', 'api.shop.example.com'],
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    });
    // Without the Certificate, the Secret is missing, and the finding says where it must be.
    const withoutCertificate = objects.filter((object) => object.kind !== 'Certificate');
    expect(analyze(withoutCertificate).filter((d) => d.code === 'IST0101').map((d) => d.fix)).toEqual([expect.stringMatching(/Create the Secret shop-example-com-tls in namespace storefront/)]);
  });

  it('moves the cart rollout by changing VirtualServices only (its own and the gateway route to it)', () => {
    const steps = CART_STAGES.map((_, cartStep) => synthExample((scope) => traffic(scope, { cartStep })));
    for (let step = 1; step < steps.length; step++) {
      const changed = steps[step]!.filter((o: Manifest, index) => JSON.stringify(o) !== JSON.stringify(steps[step - 1]![index]));
      expect(changed.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['VirtualService cart', 'VirtualService storefront-edge-api-shop-example-com']);
    }
  });
});
