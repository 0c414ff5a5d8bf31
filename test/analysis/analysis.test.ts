import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, compareDiagnostics } from '../../src/analysis/index.js';
import { MeshformError, parseManifests, parseMeshConfig, re2FullMatch, re2Problem } from '../../src/core/index.js';

const codes = (yaml: string, analyzer?: string) =>
  analyze(parseManifests(yaml), analyzer ? { analyzers: [analyzer] } : {}).map((d) => `${d.code} ${d.origin}`);

const meshedNamespace = (name: string) => `
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: { istio-injection: enabled } }
---`;

const deployment = (name: string, namespace: string, labels: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: ${labels} }
  template:
    metadata: { labels: ${labels} }
    spec: { containers: [{ name: app, image: app }] }
---`;

describe('parsing', () => {
  it('reads multi-document YAML and expands Lists', () => {
    const objects = parseManifests(`
apiVersion: v1
kind: List
items:
  - { apiVersion: v1, kind: Service, metadata: { name: a } }
  - { apiVersion: v1, kind: List, items: [{ apiVersion: v1, kind: Service, metadata: { name: b } }] }
---
---
apiVersion: v1
kind: Service
metadata: { name: c }
`);
    expect(objects.map((o) => o.metadata?.name)).toEqual(['a', 'b', 'c']);
  });

  it('names the file and line of broken YAML', () => {
    expect(() => parseManifests('kind: Service\nmetadata: {name: [}\n', 'svc.yaml')).toThrowError(MeshformError);
    expect(() => parseManifests('kind: Service\nmetadata: {name: [}\n', 'svc.yaml')).toThrowError(/svc\.yaml:2 is not valid YAML/);
  });

  it('reads a MeshConfig directly or from the istio ConfigMap', () => {
    expect(parseMeshConfig('rootNamespace: mesh-root').rootNamespace).toBe('mesh-root');
    expect(parseMeshConfig('kind: ConfigMap\ndata:\n  mesh: |\n    rootNamespace: other\n').rootNamespace).toBe('other');
  });
});

describe('analyzers beyond the shared cases', () => {
  it('IST0109: two mesh VirtualServices for one host', () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: a, namespace: shop }
spec: { hosts: [reviews], http: [{ route: [{ destination: { host: reviews } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: b, namespace: shop }
spec: { hosts: [reviews.shop.svc.cluster.local], gateways: [mesh], http: [{ route: [{ destination: { host: reviews } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: c, namespace: shop }
spec: { hosts: [reviews], gateways: [edge], http: [{ route: [{ destination: { host: reviews } }] }] }
`;
    expect(codes(yaml, 'virtualservice.ConflictingMeshGatewayHostsAnalyzer')).toEqual(['IST0109 VirtualService shop/a', 'IST0109 VirtualService shop/b']);
  });

  it('IST0127 and IST0101: authorization policies that select nothing or name missing namespaces', () => {
    const yaml = `${meshedNamespace('shop')}${deployment('web', 'shop', '{ app: web }')}
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ok, namespace: shop }
spec: { selector: { matchLabels: { app: web } } }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: typo, namespace: shop }
spec:
  selector: { matchLabels: { app: wbe } }
  rules: [{ from: [{ source: { namespaces: [shop, shopp, "sh*"] } }] }]
`;
    expect(codes(yaml, 'auth.AuthorizationPoliciesAnalyzer')).toEqual([
      'IST0101 AuthorizationPolicy shop/typo',
      'IST0127 AuthorizationPolicy shop/typo',
    ]);
  });

  it('IST0102, IST0123 and IST0103: namespace labels and pods without proxy', () => {
    const yaml = `
apiVersion: v1
kind: Namespace
metadata: { name: plain }
---
apiVersion: v1
kind: Namespace
metadata: { name: both, labels: { istio-injection: enabled, istio.io/rev: canary } }
---${meshedNamespace('shop')}
apiVersion: v1
kind: Pod
metadata: { name: bare, namespace: shop }
spec: { containers: [{ name: app }] }
---
apiVersion: v1
kind: Pod
metadata: { name: opted-out, namespace: shop, labels: { sidecar.istio.io/inject: "false" } }
spec: { containers: [{ name: app }] }
`;
    expect(codes(yaml, 'injection.Analyzer')).toEqual(['IST0123 Namespace both', 'IST0102 Namespace plain', 'IST0103 Pod shop/bare']);
  });

  it('IST0106: schema violations and regular expressions RE2 rejects', () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: bad }
spec:
  hosts: [a]
  http:
    - match: [{ uri: { regex: "/(a" } }, { headers: { x: { regex: "(?=x)" } } }]
      route: [{ destination: { host: a } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: mistyped }
spec: { hosts: [a], http: [{ route: [{ destination: { host: a }, weight: "eighty" }] }] }
`;
    const found = analyze(parseManifests(yaml), { analyzers: ['schema.ValidationAnalyzer'] });
    expect(found.map((d) => `${d.code} ${d.origin}`)).toEqual(['IST0106 VirtualService bad', 'IST0106 VirtualService bad', 'IST0106 VirtualService mistyped']);
    expect(found.map((d) => d.message).join('\n')).toMatch(/weight must be integer/);
    expect(re2Problem('(?i)^/api/v[0-9]+$')).toBeUndefined();
    expect(re2Problem('(?P<id>[0-9]+)')).toBeUndefined();
    expect(re2Problem('a**')).toBeDefined();
    expect(re2Problem('(a)\\1')).toMatch(/invalid escape sequence/);
    // What RE2 takes and JavaScript does not, and the other way round.
    expect(re2Problem('[[:alpha:]]+\\z')).toBeUndefined();
    expect(re2Problem('(?=lookahead)')).toMatch(/invalid or unsupported Perl syntax/);
    expect(re2Problem('x{1001}')).toMatch(/invalid repeat count/);
    // Istio's regex matches take the whole value.
    expect(re2FullMatch('/api/.*', '/api/cart')).toBe(true);
    expect(re2FullMatch('api', '/api/cart')).toBe(false);
  });

  it('IST0101 and IST0161: gateway credentials must exist and hold a parsable certificate', () => {
    const cert = Buffer.from(readFileSync(join(import.meta.dirname, 'fixtures/shop-example-com.crt.pem'))).toString('base64');
    const server = (host: string, credentialName: string) =>
      `{ port: { number: 443, name: https, protocol: HTTPS }, hosts: [${host}], tls: { mode: SIMPLE, credentialName: ${credentialName} } }`;
    const secret = (name: string, data: string) => `
apiVersion: v1
kind: Secret
metadata: { name: ${name}, namespace: istio-system }
type: kubernetes.io/tls
data: ${data}
---`;
    const yaml = `${secret('empty', '{}')}${secret('garbage', '{ tls.crt: eA==, tls.key: eA== }')}${secret('good', `{ tls.crt: ${cert}, tls.key: eA== }`)}
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers: [${server('a.example.com', 'missing')}, ${server('b.example.com', 'empty')}, ${server('d.example.com', 'good')}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge-c, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers: [${server('c.example.com', 'garbage')}]
`;
    const found = analyze(parseManifests(yaml), { analyzers: ['gateway.SecretAnalyzer'] });
    expect(found.map((d) => `${d.code} ${d.origin} ${d.path}`)).toEqual([
      'IST0101 Gateway shop/edge spec.servers[0].tls.credentialName',
      'IST0161 Gateway shop/edge spec.servers[1].tls.credentialName',
      'IST0161 Gateway shop/edge-c spec.servers[0].tls.credentialName',
    ]);
  });

  it("reports a finding once per object and text, at the first field it was found at, as Istio's SortedDedupedCopy", () => {
    const yaml = `
apiVersion: v1
kind: Secret
metadata: { name: empty, namespace: istio-system }
type: kubernetes.io/tls
data: {}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers:
    - { port: { number: 443, name: https-a, protocol: HTTPS }, hosts: [a.example.com], tls: { mode: SIMPLE, credentialName: empty } }
    - { port: { number: 8443, name: https-b, protocol: HTTPS }, hosts: [b.example.com], tls: { mode: SIMPLE, credentialName: empty } }
`;
    const found = analyze(parseManifests(yaml), { analyzers: ['gateway.SecretAnalyzer'] });
    expect(found.map((d) => `${d.code} ${d.path}`)).toEqual(['IST0161 spec.servers[0].tls.credentialName']);
  });

  it('IST0177: ServiceEntries visible together with different protocols', () => {
    const entry = (name: string, namespace: string, protocol: string) => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec: { hosts: [api.example.com], ports: [{ number: 443, name: p, protocol: ${protocol} }], resolution: DNS }
---`;
    expect(codes(entry('a', 'x', 'HTTPS') + entry('b', 'y', 'TLS'), 'serviceentry.ConflictingServiceEntryProtocolAnalyzer')).toEqual([
      'IST0177 ServiceEntry x/a',
      'IST0177 ServiceEntry y/b',
    ]);
  });

  it('IST0108, IST0107 and IST0136 on annotations', () => {
    const yaml = `
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations: { sidecar.istio.io/proxyCPUU: "1", networking.istio.io/exportTo: ".", sidecar.istio.io/proxyCPU: 100m }
spec: { containers: [{ name: app }] }
`;
    expect(codes(yaml, 'annotations.K8sAnalyzer')).toEqual(['IST0107 Pod p', 'IST0108 Pod p']);
    // Alpha annotations are maturity.go's: reported wherever they stand, misplaced or not.
    expect(codes(yaml, 'annotations.AlphaAnalyzer')).toEqual(['IST0136 Pod p', 'IST0136 Pod p']);
  });
});

describe("meshform's own checks", () => {
  it('MF0001: no default route in the mesh (Warning) or at a gateway (Info)', () => {
    const vs = (name: string, gateways: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: shop }
spec: { hosts: [web], gateways: ${gateways}, http: [{ match: [{ uri: { prefix: /api } }], route: [{ destination: { host: web } }] }] }
---`;
    const found = analyze(parseManifests(vs('mesh', '[mesh]') + vs('edge', '[edge]')), { analyzers: ['meshform.DefaultRouteAnalyzer'] });
    expect(found.map((d) => `${d.code} ${d.level} ${d.origin}`)).toEqual([
      'MF0001 Info VirtualService shop/edge',
      'MF0001 Warning VirtualService shop/mesh',
    ]);
  });

  it('MF0003: a Service that selects no pod template', () => {
    const yaml = `${deployment('web', 'shop', '{ app: web }')}
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: wbe }, ports: [{ name: http, port: 80 }] }
`;
    expect(codes(yaml, 'meshform.ServiceSelectorAnalyzer')).toEqual(['MF0003 Service shop/web']);
  });

  it('says which namespace a short gateway name missed, and where a gateway credential must be', () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: istio-system }
spec: { selector: { istio: ingressgateway }, servers: [{ port: { number: 443, name: https, protocol: HTTPS }, hosts: ["*"], tls: { mode: SIMPLE, credentialName: shop-cert } }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec: { hosts: [shop.example.com], gateways: [edge], http: [{ route: [{ destination: { host: web } }] }] }
`;
    const fixes = analyze(parseManifests(yaml), { analyzers: ['virtualservice.GatewayAnalyzer', 'gateway.SecretAnalyzer'] })
      .filter((d) => d.code === 'IST0101')
      .map((d) => `${d.origin} ${d.path}: ${d.fix}`);
    expect(fixes).toEqual([
      'Gateway istio-system/edge spec.servers[0].tls.credentialName: Create the Secret shop-cert in namespace istio-system, where the gateway pods run, with tls.crt and tls.key (or a cert-manager Certificate with that secretName there).',
      "VirtualService shop/web spec.gateways[0]: Did you mean istio-system/edge? A gateway name without a namespace means one in the VirtualService's namespace.",
    ]);
  });

  it("MF0004: a Gateway selector that no workload in the manifests has, once per selector, not the mesh's own ingress", () => {
    const gateway = (name: string, selector: string) => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: shop }
spec: { selector: ${selector}, servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }] }
---`;
    const yaml = [gateway('edge', '{ istio: edge-gw }'), gateway('edge-b', '{ istio: edge-gw }'), gateway('shared', '{ istio: ingressgateway }')].join('');
    const found = analyze(parseManifests(yaml), { analyzers: ['meshform.GatewayWorkloadAnalyzer'] });
    expect(found.map((d) => `${d.code} ${d.origin}`)).toEqual(['MF0004 Gateway shop/edge']);
    expect(found[0]!.message).toMatch(/labels istio=edge-gw; .* \(nor for Gateway shop\/edge-b, which select the same labels\)$/);
    // A mesh whose ingress pods carry another istio label declares that one instead.
    const other = analyze(parseManifests(yaml), { analyzers: ['meshform.GatewayWorkloadAnalyzer'], meshConfig: { ingressSelector: 'edge-gw' } });
    expect(other.map((d) => `${d.code} ${d.origin}`)).toEqual(['MF0004 Gateway shop/shared']);
  });

  it('MF0005: TLS DISABLE towards a STRICT namespace, unless the pods have no sidecar', () => {
    const service = (name: string) => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: data }
spec: { selector: { app: ${name} }, ports: [{ name: tcp, port: 5432 }] }
---`;
    const plainText = (name: string, host: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: app }
spec: { host: ${host}, trafficPolicy: { tls: { mode: DISABLE } } }
---`;
    const yaml = `${meshedNamespace('data')}${deployment('db', 'data', '{ app: db }')}${deployment('legacy', 'data', "{ app: legacy, sidecar.istio.io/inject: 'false' }")}${service('legacy')}${service('db')}
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
---${plainText('legacy', 'legacy.data.svc.cluster.local')}${plainText('db', 'db.data.svc.cluster.local')}${plainText('other', 'other.elsewhere.svc.cluster.local')}
`;
    expect(codes(yaml, 'meshform.MtlsConflictAnalyzer')).toEqual(['MF0005 DestinationRule app/db']);
  });

  it('MF0005 and MF0008: client TLS against the server mode of each port, workload port-level first', () => {
    const yaml = `${meshedNamespace('data')}${deployment('statsd', 'data', '{ app: statsd }')}
apiVersion: v1
kind: Service
metadata: { name: statsd, namespace: data }
spec: { selector: { app: statsd }, ports: [{ name: http-metrics, port: 9102 }, { name: tcp-ingest, port: 8125, targetPort: 9125 }] }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: data }
spec: { mtls: { mode: STRICT } }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: statsd, namespace: data }
spec: { selector: { matchLabels: { app: statsd } }, portLevelMtls: { '9125': { mode: DISABLE } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: consistent, namespace: data }
spec: { host: statsd, trafficPolicy: { tls: { mode: ISTIO_MUTUAL }, portLevelSettings: [{ port: { number: 8125 }, tls: { mode: DISABLE } }] } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: mutual-everywhere, namespace: data }
spec: { host: statsd, trafficPolicy: { tls: { mode: ISTIO_MUTUAL } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: plain-on-strict-port, namespace: data }
spec: { host: statsd, trafficPolicy: { tls: { mode: ISTIO_MUTUAL }, portLevelSettings: [{ port: { number: 9102 }, tls: { mode: DISABLE } }, { port: { number: 8125 }, tls: { mode: DISABLE } }] } }
`;
    expect(codes(yaml, 'meshform.MtlsConflictAnalyzer')).toEqual(['MF0008 DestinationRule data/mutual-everywhere', 'MF0005 DestinationRule data/plain-on-strict-port']);
  });

  it('refuses unknown analyzer names with the list of known ones', () => {
    expect(() => analyze([], { analyzers: ['virtualservice.Nope'] })).toThrowError(/there is no analyzer "virtualservice.Nope". Analyzers are: /);
  });

  it('gives the same diagnostics whatever the input order', () => {
    const yaml = parseManifests(`${deployment('web', 'shop', '{ app: web }')}
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: wbe }, ports: [{ name: web, port: 80 }] }
`);
    expect(analyze([...yaml].reverse())).toEqual(analyze(yaml));
  });
});

describe('output order', () => {
  it('sorts findings by code unit, whatever the locale', () => {
    const a = { code: 'IST0101', level: 'Error' as const, origin: 'Service shop/Äpfel', message: 'm' };
    const b = { ...a, origin: 'Service shop/birnen' };
    // localeCompare would put "Ä" before "b"; code units put it after every ASCII letter.
    expect([a, b].sort(compareDiagnostics).map((d) => d.origin)).toEqual(['Service shop/birnen', 'Service shop/Äpfel']);
  });
});
