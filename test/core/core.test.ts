import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertDnsLabel,
  assertWeights,
  hostsIntersect,
  isDnsLabel,
  isDnsSubdomain,
  istioDuration,
  MeshformError,
  parseServiceHost,
  protocolOfPort,
  resolveHost,
  selectorMatches,
  serviceFqdn,
  ServicePort,
  toDnsLabel,
  wildcardCovers,
} from '../../src/core/index.js';

describe('names', () => {
  it('accepts DNS-1123 labels and refuses the rest with a suggestion', () => {
    expect(isDnsLabel('reviews-v1')).toBe(true);
    expect(isDnsLabel('Reviews')).toBe(false);
    expect(isDnsLabel('-a')).toBe(false);
    expect(isDnsLabel('a'.repeat(64))).toBe(false);
    expect(isDnsSubdomain('reviews.shop.svc')).toBe(true);
    expect(isDnsSubdomain('reviews..shop')).toBe(false);
    expect(() => assertDnsLabel('My_Service', { construct: 'app/svc', field: 'name' })).toThrowError(
      /app\/svc name: "My_Service" is not a valid name.*Did you mean "my-service"\?/,
    );
  });

  it('toDnsLabel always produces a valid label', () => {
    fc.assert(fc.property(fc.string(), (value) => isDnsLabel(toDnsLabel(value))));
  });
});

describe('hosts', () => {
  it('expands short names in the config namespace and parses them back', () => {
    expect(serviceFqdn('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(resolveHost('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(resolveHost('reviews.other', 'shop')).toBe('reviews.other');
    expect(parseServiceHost('reviews.shop.svc.cluster.local')).toEqual({ name: 'reviews', namespace: 'shop' });
    expect(parseServiceHost('api.example.com')).toBeUndefined();
  });

  it('matches wildcards the way Istio does', () => {
    expect(wildcardCovers('*', 'a.example.com')).toBe(true);
    expect(wildcardCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(wildcardCovers('*.example.com', 'example.com')).toBe(false);
    expect(wildcardCovers('a.example.com', '*.example.com')).toBe(false);
    expect(hostsIntersect('a.example.com', '*.example.com')).toBe(true);
    expect(hostsIntersect('a.example.com', 'b.example.com')).toBe(false);
  });
});

describe('ports', () => {
  it('names ports after their protocol', () => {
    expect(ServicePort.http(9080).name).toBe('http');
    expect(ServicePort.grpc(9090, { suffix: 'api' }).name).toBe('grpc-api');
    expect(ServicePort.udp(53).transport).toBe('UDP');
  });

  it('keeps a given name and says the protocol in appProtocol', () => {
    const web = ServicePort.http(80, { name: 'web' });
    expect([web.name, web.appProtocol]).toEqual(['web', 'http']);
    expect(ServicePort.grpc(9090, { name: 'grpc-api' }).appProtocol).toBeUndefined();
    expect(() => ServicePort.http(80, { name: 'web', suffix: 'x' })).toThrowError(/both name and suffix/);
  });

  it('derives the protocol from the name or appProtocol', () => {
    expect(protocolOfPort('http-web')).toBe('http');
    expect(protocolOfPort('grpc-web-x')).toBe('grpc-web');
    expect(protocolOfPort('web')).toBeUndefined();
    expect(protocolOfPort('web', 'http2')).toBe('http2');
  });

  it('refuses the proxy ports and out-of-range numbers', () => {
    expect(() => ServicePort.http(15006)).toThrowError(MeshformError);
    expect(() => ServicePort.tcp(0)).toThrowError(/port: port 0 is outside 1 to 65535/);
    expect(() => ServicePort.tcp(80.5)).toThrowError(/port: port 80.5 is not a whole number/);
  });
});

describe('weights', () => {
  it('says how far from 100 the weights are', () => {
    expect(() => assertWeights('reviews', [{ name: 'v1', weight: 70 }, { name: 'v2', weight: 20 }])).toThrowError(
      /weights of reviews add up to 90 \(v1=70, v2=20\); they must add up to 100\. Give 10 more/,
    );
    expect(() => assertWeights('reviews', [{ name: 'v1', weight: 80.5 }, { name: 'v2', weight: 19.5 }])).toThrowError(
      /whole percentages/,
    );
  });

  it('accepts every split of 100 into whole numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (a) => {
        assertWeights('x', [{ name: 'a', weight: a }, { name: 'b', weight: 100 - a }]);
      }),
    );
  });
});

describe('selectors and durations', () => {
  it('matches labels by equality', () => {
    expect(selectorMatches({ app: 'a' }, { app: 'a', version: 'v1' })).toBe(true);
    expect(selectorMatches({ app: 'a', version: 'v2' }, { app: 'a', version: 'v1' })).toBe(false);
    expect(selectorMatches(undefined, {})).toBe(true);
  });

  it('writes durations in Istio form', () => {
    expect(istioDuration(2000, {})).toBe('2s');
    expect(istioDuration(250, {})).toBe('250ms');
    expect(istioDuration('1m30s', {})).toBe('1m30s');
    expect(() => istioDuration('2 seconds', { field: 'timeout' })).toThrowError(/timeout: "2 seconds" is not a duration/);
  });
});
