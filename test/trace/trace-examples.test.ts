import { Testing } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import { airflow } from '../../examples/airflow.js';
import { bookinfo } from '../../examples/bookinfo.js';
import { canary } from '../../examples/canary.js';
import { nifi } from '../../examples/nifi.js';
import { traffic } from '../../examples/traffic.js';
import type { KubeObject } from '../../src/core/index.js';
import { traceMatchers, type TraceMatchers } from '../../src/testing/index.js';
import { createTracer, type Tracer } from '../../src/trace/index.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T> extends TraceMatchers<T> {}
}
expect.extend(traceMatchers);

const tracerOf = (chart: (app: ReturnType<typeof Testing.app>) => unknown) => createTracer(Testing.synth(chart(Testing.app()) as never) as KubeObject[]);

// Each example's main requests, traced through the YAML it synthesizes: every gateway host, every canary pin.
describe('bookinfo', () => {
  let tracer: Tracer;
  beforeAll(() => {
    tracer = tracerOf(bookinfo);
  });

  it('serves the product page through the shared ingress gateway, as its identity', () => {
    const result = tracer.traceUrl({ url: 'http://shop.example.com/productpage' });
    expect(result).toReach({ service: 'productpage', port: 9080 });
    expect(result.hops.find((hop) => hop.step === 'authorization')?.decidedBy?.origin).toBe('AuthorizationPolicy bookinfo/productpage');
  });

  it('sends the x-canary: v3 pin to reviews v3, and everything else by weight', () => {
    const from = 'Deployment bookinfo/productpage-v1';
    expect(tracer.traceUrl({ url: 'http://reviews:9080/reviews/1', from, headers: { 'x-canary': 'v3' } })).toReach({ service: 'reviews', subset: 'v3' });
    const weighted = tracer.traceUrl({ url: 'http://reviews:9080/reviews/1', from });
    expect(weighted).toReach({ service: 'reviews', subset: 'v1' });
    expect(weighted.hops.find((hop) => hop.step === 'cluster')?.reason).toBe(
      'weighted: outbound|9080|v1|reviews.bookinfo.svc.cluster.local 80%, outbound|9080|v2|reviews.bookinfo.svc.cluster.local 20%',
    );
    expect(weighted.hops.find((hop) => hop.step === 'route skipped')?.reason).toBe('header x-canary is absent');
  });

  it('refuses what the program did not declare: productpage does not call ratings', () => {
    const result = tracer.traceUrl({ url: 'http://ratings:9080/ratings/1', from: 'Deployment bookinfo/productpage-v1' });
    expect(result).toBeRefused('mtls');
    expect(result.outcome.reason).toContain("add bookinfo/ratings.bookinfo.svc.cluster.local to the Sidecar's egress hosts");
    expect(tracer.traceUrl({ url: 'http://ratings:9080/ratings/1', from: 'Deployment bookinfo/reviews-v2' })).toReach({ service: 'ratings' });
  });
});

// The README's checklist: two ways Bookinfo breaks, and what the trace says of each.
describe('bookinfo, broken', () => {
  const objects = () => Testing.synth(bookinfo(Testing.app())) as KubeObject[];

  it('a VirtualService not bound to the gateway: the port answers 404 from an empty route table', () => {
    const unbound = objects().map((object) => (object.kind === 'VirtualService' && object.metadata?.name === 'bookinfo-gateway' ? { ...object, spec: { ...object.spec, gateways: ['bookinfo-gw'] } } : object));
    const result = createTracer(unbound).traceUrl({ url: 'http://shop.example.com/productpage' });
    expect(result).toBeRefused('no route');
    expect(result.virtualHost).toBe('blackhole:80');
    expect(result.outcome).toMatchObject({ result: '404', flag: 'NR' });
    expect(result.notes).toContain('VirtualService bookinfo/bookinfo-gateway serves shop.example.com but binds to bookinfo/bookinfo-gw, not to Gateway bookinfo/bookinfo-gateway (spec.gateways).');
  });

  it('a subset with no pods: 503, no healthy upstream', () => {
    const withoutV3 = objects().filter((object) => !(object.kind === 'Deployment' && object.metadata?.name === 'reviews-v3'));
    const result = createTracer(withoutV3).traceUrl({ url: 'http://reviews:9080/reviews/1', from: 'Deployment bookinfo/productpage-v1', headers: { 'x-canary': 'v3' } });
    expect(result).toBeRefused('no endpoints');
    expect(result.outcome).toMatchObject({ result: '503', flag: 'UH' });
    expect(result.hops.at(-1)).toMatchObject({ step: 'endpoints', chosen: 'none', decidedBy: { origin: 'Service bookinfo/reviews', field: 'spec.selector' } });
  });
});

describe('canary', () => {
  let tracer: Tracer;
  beforeAll(() => {
    tracer = tracerOf(canary);
  });

  it('needs a token at the edge gateway', () => {
    const result = tracer.traceUrl({ url: 'http://shop.example.com/api/checkout' });
    expect(result).toBeRefused('rbac');
    expect(result.hops.at(-1)?.decidedBy?.origin).toBe('AuthorizationPolicy checkout/edge-require-jwt');
  });

  it('splits checkout 90/10 at stage 1 at the edge', () => {
    // A token from the issuer the edge trusts (read, not verified: the trace has no keys).
    const claims = Buffer.from(JSON.stringify({ iss: 'https://auth.example.com/', sub: 'tester' })).toString('base64url');
    const token = { authorization: `Bearer eyJhbGciOiJSUzI1NiJ9.${claims}.signature` };
    expect(tracer.traceUrl({ url: 'http://shop.example.com/api/checkout', headers: { authorization: 'Bearer not-a-jwt' } })).toBeRefused('rbac');
    const split = tracer.traceUrl({ url: 'http://shop.example.com/api/checkout', method: 'POST', headers: token });
    expect(split).toReach({ service: 'checkout', subset: 'v1', port: 8080 });
    expect(split.hops.find((hop) => hop.step === 'cluster')?.reason).toMatch(/\|v1\|checkout\.checkout\.svc\.cluster\.local 90%, .*\|v2\|.* 10%/);
    // Header pins live in the service's own (mesh) VirtualService, which gateways do not apply.
    expect(tracer.traceUrl({ url: 'http://shop.example.com/api/checkout', method: 'POST', headers: { ...token, 'x-canary': 'v2' } }).hops.some((hop) => hop.chosen === 'pin-v2')).toBe(false);
  });

  it('lets the smoke test reach v2 and nothing else', () => {
    expect(tracer.traceUrl({ url: 'http://checkout:8080/healthz', from: 'Job checkout/smoke-test', headers: { 'x-canary': 'v2' } })).toReach({ service: 'checkout', subset: 'v2' });
    expect(tracer.traceUrl({ url: 'http://checkout:8080/api/orders', from: 'Job checkout/smoke-test', headers: { 'x-canary': 'v2' } })).toBeRefused('rbac');
    expect(tracer.traceUrl({ url: 'http://payments:8080/Pay', from: 'Job checkout/smoke-test', method: 'POST' })).toBeRefused('mtls');
    expect(tracer.traceUrl({ url: 'http://payments:8080/Pay', from: 'Deployment checkout/checkout-v1', method: 'POST' })).toReach({ service: 'payments' });
  });
});

describe('traffic', () => {
  let tracer: Tracer;
  beforeAll(() => {
    tracer = tracerOf(traffic);
  });

  it('redirects plaintext to HTTPS on both hosts', () => {
    for (const host of ['shop.example.com', 'api.shop.example.com']) expect(tracer.traceUrl({ url: `http://${host}/` })).toBeRefused('tls redirect');
  });

  it('routes every storefront path to its service and version', () => {
    expect(tracer.traceUrl({ url: 'https://shop.example.com/' })).toReach({ service: 'catalog' });
    const moved = tracer.traceUrl({ url: 'https://shop.example.com/old-shop/shoes' });
    expect(moved.outcome.result).toBe('301');
    expect(moved.cluster).toBeNull();
    expect(tracer.traceUrl({ url: 'https://api.shop.example.com/cart?preview=v2' })).toReach({ service: 'cart', subset: 'v2' });
    expect(tracer.traceUrl({ url: 'https://api.shop.example.com/cart' })).toReach({ service: 'cart', subset: 'v1' });
    expect(tracer.traceUrl({ url: 'https://api.shop.example.com/products/42' })).toReach({ service: 'catalog' });
    expect(tracer.traceUrl({ url: 'https://api.shop.example.com/products/42', method: 'DELETE' })).toBeRefused('no route');
    expect(tracer.traceUrl({ url: 'https://api.shop.example.com/search', headers: { accept: 'application/json' } })).toReach({ service: 'search' });
    expect(tracer.traceUrl({ url: 'https://api.shop.example.com/search', headers: { accept: 'text/html' } })).toBeRefused('no route');
  });
});

describe('traffic, inside the mesh', () => {
  let tracer: Tracer;
  beforeAll(() => {
    tracer = tracerOf(traffic);
  });

  it('sends each declared call to its version, with the route that applies to that caller', () => {
    expect(tracer.traceUrl({ url: 'http://pricing:8080/price/1', from: 'Deployment storefront/cart-v1' })).toReach({ service: 'pricing', subset: 'stable' });
    const search = tracer.traceUrl({ url: 'http://search:8080/q', from: 'Deployment storefront/catalog-v1' });
    expect(search).toReach({ service: 'search' });
    // The catalog's own route (sourceLabels app=catalog) with its longer timeout.
    expect(search.route).toBe('from-catalog');
    expect(search.hops.find((hop) => hop.step === 'route policy')?.chosen).toBe('timeout 30s');
  });

  it('sends the cart to Stripe through its egress gateway, allowed by SNI and identity', () => {
    const result = tracer.traceUrl({ url: 'https://api.stripe.com/v1/charges', from: 'Deployment storefront/cart-v1', method: 'POST' });
    expect(result).toReach({ service: 'stripe', port: 443 });
    expect(result.hops.at(-1)?.decidedBy?.origin).toBe('AuthorizationPolicy storefront/stripe');
    // The catalog may not: its Sidecar does not even see the host, and the egress gateway would refuse it.
    expect(tracer.traceUrl({ url: 'https://api.stripe.com/v1/charges', from: 'Deployment storefront/catalog-v1', method: 'POST' }).cluster).not.toBe('outbound|443||stripe.storefront.svc.cluster.local');
  });
});

describe('data platforms', () => {
  it('serves the Airflow UI and the NiFi UI through their gateways', () => {
    expect(tracerOf(airflow).traceUrl({ url: 'https://airflow.example.com/home' })).toReach({ service: 'api-server', port: 8080 });
    expect(tracerOf(nifi).traceUrl({ url: 'https://nifi.example.com/nifi/' })).toReach({ service: 'nifi', port: 8443 });
  });
});
