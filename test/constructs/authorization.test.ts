import { describe, expect, it } from 'vitest';
import { EgressGateway, Mesh, MeshGateway, MeshJob, MeshService, ServicePort } from '../../src/index.js';
import { errorOf, find, synth } from '../support/synth.js';

const image = 'example.com/app:1.0';

describe('fine-grained edges', () => {
  it('gives each restricted caller its own rule with exactly its operations, on the pods’ ports', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop' });
      const api = new MeshService(chart, 'api', { mesh, image, ports: [ServicePort.http(80, { targetPort: 8080 }), ServicePort.grpc(9090)] });
      new MeshService(chart, 'web', { mesh, image, port: 80 }).connectTo(api, { ports: [80], paths: ['/api/*', '*.json'], methods: ['GET', 'HEAD'] });
      new MeshService(chart, 'admin', { mesh, image, port: 80 }).connectTo(api);
      const job = new MeshJob(chart, 'report', { mesh, image });
      job.connectTo(api, { methods: ['POST'], paths: ['/reports'] });
      job.connectTo(api, { ports: [9090] });
    });
    expect(find(objects, 'AuthorizationPolicy', 'api').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/admin'] } }] },
      {
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/report'] } }],
        to: [{ operation: { methods: ['POST'], paths: ['/reports'] } }, { operation: { ports: ['9090'] } }],
      },
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['8080'], methods: ['GET', 'HEAD'], paths: ['/api/*', '*.json'] } }] },
    ]);
  });

  it('lets an unrestricted connectTo win over a restricted one from the same caller', () => {
    const objects = synth((chart) => {
      const api = new MeshService(chart, 'api', { image, port: 80 });
      const web = new MeshService(chart, 'web', { image, port: 80 });
      web.connectTo(api, { methods: ['GET'] });
      web.connectTo(api);
      web.connectTo(api, { methods: ['DELETE'] });
    });
    expect(find(objects, 'AuthorizationPolicy', 'api').spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/default/sa/web'] } }] }]);
  });

  it.each<[string, Parameters<MeshService['connectTo']>[1], RegExp]>([
    ['a lower-case method', { methods: ['get' as never] }, /test\/web connectTo\.methods\[0\]: "get" is not an HTTP method\. Methods are compared case-sensitively; write "GET"/],
    ['a path without a leading slash', { paths: ['api/*'] }, /connectTo\.paths\[0\]: path "api\/\*" does not start with "\/"/],
    ['a wildcard in the middle', { paths: ['/api/*/items'] }, /connectTo\.paths\[0\]: path "\/api\/\*\/items" has a wildcard Istio cannot match/],
    ['a port the server lacks', { ports: [81] }, /test\/web connectTo\.ports\[0\]: port 81 is not a port of api/],
    ['an empty list', { methods: [] }, /connectTo\.methods: methods is empty, which would admit nothing/],
  ])('refuses %s, naming the field', (_name, options, message) => {
    const error = errorOf((chart) => {
      const api = new MeshService(chart, 'api', { image, port: 80 });
      new MeshService(chart, 'web', { image, port: 80 }).connectTo(api, options);
    });
    expect(error.message).toMatch(message);
  });

  it('refuses operations on an egress gateway, which admits per host', () => {
    const error = errorOf((chart) => {
      const out = new EgressGateway(chart, 'out', { host: 'api.example.com' });
      new MeshService(chart, 'web', { image, port: 80 }).connectTo(out, { methods: ['GET'] });
    });
    expect(error.message).toMatch(/test\/web connectTo: the egress gateway out admits callers to its host as a whole/);
  });
});

describe('deny by default', () => {
  it('adds an allow-nothing policy to a mesh namespace, opens its own gateway on its listener ports, and can be turned off', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop' });
      new MeshGateway(chart, 'edge', { mesh, http: { hosts: ['*'] }, https: { hosts: ['*'], credentialName: 'tls', port: 8443 }, deployment: {} });
      new Mesh(chart, 'open', { namespace: 'open', denyByDefault: false });
    });
    expect(find(objects, 'AuthorizationPolicy', 'allow-nothing')).toMatchObject({ metadata: { namespace: 'shop' }, spec: {} });
    expect(objects.filter((o) => o.kind === 'AuthorizationPolicy' && o.metadata.namespace === 'open')).toEqual([]);
    expect(find(objects, 'AuthorizationPolicy', 'edge').spec).toEqual({
      selector: { matchLabels: { istio: 'edge' } },
      action: 'ALLOW',
      rules: [{ to: [{ operation: { ports: ['80', '8443'] } }] }],
    });
  });
});
