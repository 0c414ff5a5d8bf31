import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, ANALYZER_NAMES, routingGraph } from '../../src/analysis/index.js';
import { MeshformError } from '../../src/core/index.js';
import { injectObject } from '../../src/injection/index.js';

const KINDS: readonly (readonly [string, string])[] = [
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'Namespace'],
  ['v1', 'Secret'],
  ['apps/v1', 'Deployment'],
  ['batch/v1', 'CronJob'],
  ['networking.istio.io/v1', 'Gateway'],
  ['networking.istio.io/v1', 'VirtualService'],
  ['networking.istio.io/v1', 'DestinationRule'],
  ['networking.istio.io/v1', 'ServiceEntry'],
  ['networking.istio.io/v1', 'Sidecar'],
  ['networking.istio.io/v1alpha3', 'EnvoyFilter'],
  ['security.istio.io/v1', 'AuthorizationPolicy'],
  ['security.istio.io/v1', 'PeerAuthentication'],
  ['security.istio.io/v1', 'RequestAuthentication'],
  ['telemetry.istio.io/v1', 'Telemetry'],
];

/** Values of any shape where the analyzers expect structure: what broken hand-written YAML holds. */
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('hosts', 'gateways', 'http', 'route', 'destination', 'host', 'subset', 'port', 'number', 'match', 'uri', 'selector', 'labels', 'ports', 'name', 'tls', 'mode', 'servers', 'containers', 'template', 'spec', 'metadata', 'subsets', 'trafficPolicy', 'weight', 'exportTo', 'rules', 'from', 'source', 'namespaces'),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const manifest = fc.record({
  kind: fc.constantFrom(...KINDS),
  name: fc.constantFrom('a', 'b', 'reviews'),
  namespace: fc.option(fc.constantFrom('default', 'shop', 'istio-system'), { nil: undefined }),
  labels: fc.option(fc.dictionary(fc.constantFrom('app', 'istio', 'version'), fc.constantFrom('a', 'ingressgateway', 'v1')), { nil: undefined }),
  spec: anyValue,
}).map(({ kind: [apiVersion, kind], name, namespace, labels, spec }) => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
  spec,
}));

describe('malformed input', () => {
  it('the analyzer reports on any shape of object and never throws', () => {
    fc.assert(
      fc.property(fc.array(manifest, { maxLength: 8 }), (objects) => {
        const diagnostics = analyze(objects);
        for (const d of diagnostics) expect(d.origin).toMatch(/^\S+ \S+$/);
        routingGraph(objects);
      }),
      { numRuns: 400 },
    );
    expect(ANALYZER_NAMES.length).toBeGreaterThan(30);
  });

  it('injection either injects or says why with a MeshformError', () => {
    fc.assert(
      fc.property(manifest, (object) => {
        try {
          injectObject(object);
        } catch (error) {
          expect(error).toBeInstanceOf(MeshformError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
