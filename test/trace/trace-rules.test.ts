import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/core/index.js';
import { createTracer, type TraceRequest } from '../../src/trace/index.js';

// Istio's rules the shared simulation cases do not sample, each on a small mesh of its own.
const SERVICES = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio-injection: enabled } }
---
apiVersion: v1
kind: Namespace
metadata: { name: other, labels: { istio-injection: enabled } }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec: { selector: { app: api }, ports: [{ name: http, port: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: db, namespace: shop }
spec: { clusterIP: 10.0.0.9, selector: { app: db }, ports: [{ name: tcp-pg, port: 5432 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v1, namespace: shop }
spec: { selector: { matchLabels: { app: api } }, template: { metadata: { labels: { app: api, version: v1 } }, spec: { containers: [{ name: api, image: api }] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v2, namespace: shop }
spec: { selector: { matchLabels: { app: api } }, template: { metadata: { labels: { app: api, version: v2 } }, spec: { containers: [{ name: api, image: api }] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: shop }
spec: { selector: { matchLabels: { app: db } }, template: { metadata: { labels: { app: db } }, spec: { containers: [{ name: db, image: db }] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: web }] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: client, namespace: other }
spec: { selector: { matchLabels: { app: client } }, template: { metadata: { labels: { app: client } }, spec: { containers: [{ name: client, image: client }] } } }
`;

const tracer = (extra: string, meshConfig = {}) => createTracer(parseManifests(`${SERVICES}\n---\n${extra}`), { meshConfig });
const fromWeb = { from: 'Deployment shop/web' };

describe('Gateway API routes on a Service (mesh routing)', () => {
  const route = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api-split, namespace: shop }
spec:
  parentRefs: [{ group: "", kind: Service, name: api }]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /beta/ } }]
    backendRefs: [{ name: api, port: 8080 }]
  - backendRefs: [{ name: api, port: 8080, weight: 90 }, { name: api, port: 8080, weight: 10 }]
`;

  it('matches path prefixes by whole segments, as Gateway API says', () => {
    const t = tracer(route);
    expect(t.traceUrl({ url: 'http://api:8080/beta/x', ...fromWeb }).route).toBe('shop.api-split.0');
    expect(t.traceUrl({ url: 'http://api:8080/beta', ...fromWeb }).route).toBe('shop.api-split.0');
    expect(t.traceUrl({ url: 'http://api:8080/betamax', ...fromWeb }).route).toBe('shop.api-split.1');
  });

  it("applies a producer's route to every client, a consumer's only to its own namespace", () => {
    const consumer = route.replace('namespace: shop }', 'namespace: other }').replace('name: api }]', 'name: api, namespace: shop }]');
    const t = tracer(consumer);
    expect(t.traceUrl({ url: 'http://api.shop:8080/beta/x', from: 'Deployment other/client' }).route).toBe('other.api-split.0');
    expect(t.traceUrl({ url: 'http://api:8080/beta/x', ...fromWeb }).route).toBe('default');
  });
});

describe('VirtualService rules', () => {
  it('takes the first rule that matches, and says why each earlier one did not', () => {
    const t = tracer(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: shop }
spec:
  hosts: [api]
  http:
  - match: [{ uri: { regex: "/v[0-9]+" } }]
    route: [{ destination: { host: api, subset: v2 } }]
  - match: [{ uri: { prefix: /admin }, method: { exact: POST } }]
    directResponse: { status: 418 }
  - route: [{ destination: { host: api, subset: v1 } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec: { host: api, subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }] }
`);
    // RE2 matches the whole path: /v2/items is not /v[0-9]+.
    const items = t.traceUrl({ url: 'http://api:8080/v2/items', ...fromWeb });
    expect(items.cluster).toBe('outbound|8080|v1|api.shop.svc.cluster.local');
    expect(items.hops.filter((hop) => hop.step === 'route skipped').map((hop) => hop.reason)).toEqual(['uri regex "/v[0-9]+" does not match /v2/items', 'uri prefix "/admin" does not match /v2/items']);
    expect(t.traceUrl({ url: 'http://api:8080/v2', ...fromWeb }).cluster).toBe('outbound|8080|v2|api.shop.svc.cluster.local');
    expect(t.traceUrl({ url: 'http://api:8080/admin/users', method: 'POST', ...fromWeb }).outcome.result).toBe('418');
    expect(t.traceUrl({ url: 'http://api:8080/admin/users', ...fromWeb }).cluster).toBe('outbound|8080|v1|api.shop.svc.cluster.local');
  });

  it('answers 503 for a subset no DestinationRule defines', () => {
    const t = tracer(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: shop }
spec: { hosts: [api], http: [{ route: [{ destination: { host: api, subset: v3 } }] }] }
`);
    expect(t.traceUrl({ url: 'http://api:8080/', ...fromWeb })).toMatchObject({ error: 'no cluster', outcome: { result: '503', flag: 'NC' } });
  });
});

describe('outbound traffic policy', () => {
  it('answers 502 for an unknown host under REGISTRY_ONLY, and passes it through under ALLOW_ANY', () => {
    const request = { url: 'http://example.org:8080/', ...fromWeb };
    expect(tracer('', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }).traceUrl(request)).toMatchObject({ cluster: null, virtualHost: 'block_all', outcome: { result: '502' } });
    expect(tracer('').traceUrl(request)).toMatchObject({ cluster: 'PassthroughCluster', error: null });
  });
});

describe('authorization', () => {
  const policies = (action: string) => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: db, namespace: shop }
spec:
  selector: { matchLabels: { app: db } }
  action: ${action}
  rules: [{ to: [{ operation: { ports: ["5432"], methods: [GET] } }] }]
`;
  const tcp: TraceRequest = { proxy: { kind: 'sidecar', namespace: 'shop', labels: { app: 'web' }, ips: [] }, mode: 'outbound', port: 5432, protocol: 'tcp', address: '10.0.0.9' };

  it('on TCP, an HTTP field voids an ALLOW rule but only its own condition in a DENY rule', () => {
    // ALLOW with methods never matches TCP: nothing is allowed.
    expect(tracer(policies('ALLOW')).trace(tcp)).toMatchObject({ error: 'rbac', cluster: 'outbound|5432||db.shop.svc.cluster.local' });
    // DENY drops the methods condition: every TCP connection to 5432 is denied.
    expect(tracer(policies('DENY')).trace(tcp)).toMatchObject({ error: 'rbac' });
    expect(tracer('').trace(tcp)).toMatchObject({ error: null, cluster: 'outbound|5432||db.shop.svc.cluster.local' });
  });

  it('matches principals only on mTLS: a DISABLE DestinationRule leaves the caller without identity', () => {
    const allowWeb = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  rules: [{ from: [{ source: { principals: [cluster.local/ns/shop/sa/default] } }] }]
`;
    expect(tracer(allowWeb).traceUrl({ url: 'http://api:8080/', ...fromWeb }).error).toBeNull();
    const plaintext = `${allowWeb}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec: { host: api, trafficPolicy: { tls: { mode: DISABLE } } }
`;
    expect(tracer(plaintext).traceUrl({ url: 'http://api:8080/', ...fromWeb }).error).toBe('rbac');
  });
});

describe('creation order', () => {
  const twoRoutes = (first: string, second: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: zeta, namespace: shop${first} }
spec: { hosts: [api], http: [{ route: [{ destination: { host: api, subset: v1 } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: alpha, namespace: shop${second} }
spec: { hosts: [api], http: [{ route: [{ destination: { host: api, subset: v2 } }] }] }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec: { host: api, subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }] }
`;

  it('says when a tie-break by name, not a timestamp, chose between two VirtualServices of one host', () => {
    const result = tracer(twoRoutes('', '')).traceUrl({ url: 'http://api:8080/', ...fromWeb });
    expect(result.cluster).toBe('outbound|8080|v2|api.shop.svc.cluster.local');
    expect(result.notes).toContain(
      "VirtualService shop/alpha, VirtualService shop/zeta all name api.shop.svc.cluster.local; sidecars take the first, and without creationTimestamps Istio's tie-break (name, then namespace) makes that VirtualService shop/alpha — a cluster takes the one created first.",
    );
  });

  it('lets the older one win, and says nothing, when timestamps decide', () => {
    const result = tracer(twoRoutes(', creationTimestamp: "2024-01-01T00:00:00Z"', ', creationTimestamp: "2025-01-01T00:00:00Z"')).traceUrl({ url: 'http://api:8080/', ...fromWeb });
    expect(result.cluster).toBe('outbound|8080|v1|api.shop.svc.cluster.local');
    expect(result.notes.filter((note) => note.includes('tie-break'))).toEqual([]);
  });
});
