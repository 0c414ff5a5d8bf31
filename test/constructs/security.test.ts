import { describe, expect, it } from 'vitest';
import { analyze, Mesh, MeshDefaults, MeshGateway, MeshService, ServicePort, type GatewayJwtRequirement } from '../../src/index.js';
import { errorOf, find, synth } from '../support/synth.js';

const image = 'example.com/app:1.0';
const issuer = 'https://auth.example.com/';
const jwksUri = 'https://auth.example.com/.well-known/jwks.json';

describe('end-user authentication', () => {
  it('requires a token at a dedicated gateway: RequestAuthentication plus a DENY for requests without it or without the claims', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop' });
      const api = new MeshService(chart, 'api', { mesh, image, port: 80 });
      const edge = new MeshGateway(chart, 'edge', { mesh, https: { hosts: ['shop.example.com', 'admin.example.com'], credentialName: 'tls' }, deployment: {} });
      edge.route({ host: 'shop.example.com', to: api });
      edge.route({ host: 'admin.example.com', to: api, match: { claims: { groups: 'admin' } } });
      edge.requireJwt({ issuer, jwksUri, audiences: ['shop'], hosts: ['admin.example.com'], claims: { groups: ['admin'], 'realm.role': ['ops', 'dev'] } });
      edge.requireJwt({ issuer, jwksUri, audiences: ['shop'], paths: ['/api/*'] });
    });
    expect(find(objects, 'RequestAuthentication', 'edge').spec).toEqual({
      selector: { matchLabels: { istio: 'edge' } },
      jwtRules: [{ issuer, jwksUri, audiences: ['shop'] }],
    });
    expect(find(objects, 'AuthorizationPolicy', 'edge-require-jwt')).toMatchObject({
      metadata: { namespace: 'shop' },
      spec: {
        selector: { matchLabels: { istio: 'edge' } },
        action: 'DENY',
        rules: [
          { from: [{ source: { notRequestPrincipals: [`${issuer}/*`] } }], to: [{ operation: { hosts: ['admin.example.com', 'admin.example.com:*'] } }] },
          { to: [{ operation: { hosts: ['admin.example.com', 'admin.example.com:*'] } }], when: [{ key: 'request.auth.claims[groups]', notValues: ['admin'] }] },
          { to: [{ operation: { hosts: ['admin.example.com', 'admin.example.com:*'] } }], when: [{ key: 'request.auth.claims[realm][role]', notValues: ['ops', 'dev'] }] },
          { from: [{ source: { notRequestPrincipals: [`${issuer}/*`] } }], to: [{ operation: { paths: ['/api/*'] } }] },
        ],
      },
    });
    // The claim route is analyzer-clean: the gateway pods have a RequestAuthentication.
    const route = find(objects, 'VirtualService', 'edge-admin-example-com');
    expect(route.spec.http[0].match).toEqual([{ headers: { '@request.auth.claims.groups': { exact: 'admin' } } }]);
    expect(analyze(objects, { exclude: ['gateway.SecretAnalyzer'] }).filter((d) => d.level !== 'Info')).toEqual([]);
  });

  it('limits a shared ingress gateway’s requirement to its own hosts, in the gateway pods’ namespace', () => {
    const objects = synth((chart) => {
      const api = new MeshService(chart, 'api', { image, port: 80, namespace: 'shop' });
      const edge = new MeshGateway(chart, 'edge', { namespace: 'shop', http: { hosts: ['shop.example.com'] } });
      edge.route({ host: 'shop.example.com', to: api });
      edge.requireJwt({ issuer, jwks: '{"keys":[]}' });
    });
    const policy = find(objects, 'AuthorizationPolicy', 'edge-require-jwt');
    expect(policy.metadata.namespace).toBe('istio-system');
    expect(policy.spec.rules[0].to).toEqual([{ operation: { hosts: ['shop.example.com', 'shop.example.com:*'] } }]);
    expect(find(objects, 'RequestAuthentication', 'edge').spec.jwtRules).toEqual([{ issuer, jwks: '{"keys":[]}' }]);
  });

  it('requires a token on a workload', () => {
    const objects = synth((chart) => {
      new MeshService(chart, 'api', { image, port: 80 }).requireJwt({ issuer, jwksUri, paths: ['/admin/*'], forwardOriginalToken: true });
    });
    expect(find(objects, 'RequestAuthentication', 'api').spec).toEqual({ selector: { matchLabels: { app: 'api' } }, jwtRules: [{ issuer, jwksUri, forwardOriginalToken: true }] });
    expect(find(objects, 'AuthorizationPolicy', 'api-require-jwt').spec.rules).toEqual([
      { from: [{ source: { notRequestPrincipals: [`${issuer}/*`] } }], to: [{ operation: { paths: ['/admin/*'] } }] },
    ]);
  });

  it.each<[string, Partial<GatewayJwtRequirement>, RegExp]>([
    ['a JWKS URI that is not https', { jwksUri: 'http://auth.example.com/jwks' }, /requireJwt\[0\]\.jwksUri: jwksUri "http:\/\/auth\.example\.com\/jwks" is not an https URL/],
    ['both key sources', { jwks: '{"keys":[]}' }, /requireJwt\[0\]\.jwksUri: both jwksUri and jwks are given/],
    ['a key set that is not one', { jwksUri: undefined, jwks: '{}' }, /requireJwt\[0\]\.jwks: jwks is not a JSON Web Key Set/],
    ['an empty issuer', { issuer: ' ' }, /requireJwt\[0\]\.issuer: the issuer is empty/],
    ['a path without a leading slash', { paths: ['api'] }, /requireJwt\[0\]\.paths\[0\]: path "api" does not start with "\/"/],
    ['a host the gateway does not serve', { hosts: ['other.example.com'] }, /requireJwt\[0\]\.hosts\[0\]: host "other\.example\.com" is not served by gateway edge/],
    ['an empty audience list', { audiences: [] }, /requireJwt\[0\]\.audiences: audiences is empty/],
  ])('refuses %s, naming the field', (_name, override, message) => {
    const error = errorOf((chart) => {
      new MeshGateway(chart, 'edge', { http: { hosts: ['shop.example.com'] } }).requireJwt({ issuer, jwksUri, ...override } as GatewayJwtRequirement);
    });
    expect(error.message).toMatch(message);
  });
});

describe('mTLS in layers', () => {
  it('writes mesh-wide, namespace and workload PeerAuthentications, and calls a plain-text port in plain text', () => {
    const objects = synth((chart) => {
      new MeshDefaults(chart, 'defaults');
      const mesh = new Mesh(chart, 'mesh', { namespace: 'data' });
      new MeshService(chart, 'statsd', {
        mesh,
        image,
        ports: [ServicePort.http(9102, { name: 'http-metrics' }), ServicePort.udp(8125, { targetPort: 9125 })],
        mtls: { portLevelMtls: { 9102: 'PERMISSIVE', 8125: 'DISABLE' } },
        portTraffic: [{ port: 8125, connectionPool: { maxConnections: 10 } }],
      });
    });
    expect(objects.filter((o) => o.kind === 'PeerAuthentication').map((o) => [o.metadata.namespace, o.metadata.name, o.spec])).toEqual([
      ['istio-system', 'default', { mtls: { mode: 'STRICT' } }],
      ['data', 'default', { mtls: { mode: 'STRICT' } }],
      ['data', 'statsd', { selector: { matchLabels: { app: 'statsd' } }, portLevelMtls: { '9102': { mode: 'PERMISSIVE' }, '9125': { mode: 'DISABLE' } } }],
    ]);
    const rule = find(objects, 'DestinationRule', 'statsd').spec.trafficPolicy;
    expect(rule.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    expect(rule.portLevelSettings).toEqual([{ port: { number: 8125 }, connectionPool: { tcp: { maxConnections: 10 } }, tls: { mode: 'DISABLE' } }]);
    // Plain-text callers carry no identity: the policy admits anyone on those ports, and only there.
    expect(find(objects, 'AuthorizationPolicy', 'statsd').spec.rules).toEqual([{ to: [{ operation: { ports: ['9102', '9125'] } }] }]);
  });

  it('refuses a port the Service lacks and a mode Istio does not have', () => {
    expect(errorOf((chart) => new MeshService(chart, 'api', { image, port: 80, mtls: { portLevelMtls: { 81: 'DISABLE' } } })).message).toMatch(
      /test\/api mtls\.portLevelMtls\.81: port 81 is not a port of the Service/,
    );
    expect(errorOf((chart) => new MeshService(chart, 'api', { image, port: 80, mtls: { portLevelMtls: { 80: 'OFF' as never } } })).message).toMatch(
      /mtls\.portLevelMtls\.80: "OFF" is not an mTLS mode/,
    );
  });
});
