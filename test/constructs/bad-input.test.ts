import { App, Chart } from 'cdk8s';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CanaryService, HealthCheck, Mesh, MeshGateway, MeshService, ServicePort } from '../../src/index.js';
import { errorOf, synth } from '../support/synth.js';
import { buildAirflow } from '../../src/blueprints/airflow.js';
import { buildNifi } from '../../src/blueprints/nifi.js';

const image = 'example.com/app:1.0';


describe('duplicate objects', () => {
  it('refuses a CanaryService and a MeshService of the same name, naming both construct paths', () => {
    const error = errorOf((chart) => {
      new CanaryService(chart, 'reviews', { port: 9080, versions: [{ name: 'v1', image, weight: 100 }] });
      new MeshService(chart, 'reviews-again', { name: 'reviews', image, port: 9080 });
    });
    expect(error.message).toMatch(/Service default\/reviews is defined by test\/reviews\/Service and by test\/reviews-again\/Service/);
    expect(error.message).toMatch(/Nothing was written/);
  });

  it('refuses two Mesh constructs for one namespace, across charts, and writes nothing', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'meshform-dup-'));
    const app = new App({ outdir });
    new Mesh(new Chart(app, 'a'), 'shop');
    new Mesh(new Chart(app, 'b'), 'shop');
    expect(() => app.synth()).toThrowError(/Namespace \/shop is defined by a\/shop\/Namespace and by b\/shop\/Namespace/);
    expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
  });

  it('lets the same name live in two namespaces and two kinds share a name', () => {
    expect(() =>
      synth((chart) => {
        new MeshService(chart, 'web', { namespace: 'a', image, port: 80 });
        new MeshService(chart, 'web-b', { name: 'web', namespace: 'b', image, port: 80 });
      }),
    ).not.toThrow();
  });
});

describe('numbers and lists are checked where they enter', () => {
  it('a gateway listener port outside 1..65535', () => {
    const error = errorOf((chart) => new MeshGateway(chart, 'edge', { http: { hosts: ['a.example.com'], port: 70000 } }));
    expect(error.message).toBe('test/edge http.port: port 70000 is outside 1 to 65535. Use a whole number from 1 to 65535.');
    expect(errorOf((chart) => new MeshGateway(chart, 'edge', { https: { hosts: ['a'], credentialName: 'c', port: 44.3 } })).field).toBe('https.port');
  });

  it('a listener that serves no host, an empty host, or no credential', () => {
    expect(errorOf((chart) => new MeshGateway(chart, 'edge', { http: { hosts: [] } })).message).toMatch(/^test\/edge http\.hosts: the listener serves no host/);
    expect(errorOf((chart) => new MeshGateway(chart, 'edge', { http: { hosts: ['a', ' '] } })).field).toBe('http.hosts[1]');
    expect(errorOf((chart) => new MeshGateway(chart, 'edge', { https: { hosts: ['a'], credentialName: '' } })).field).toBe('https.credentialName');
  });

  it('HTTP and HTTPS on one port', () => {
    const error = errorOf((chart) => new MeshGateway(chart, 'edge', { http: { hosts: ['a'], port: 8443 }, https: { hosts: ['a'], credentialName: 'c', port: 8443 } }));
    expect(error.message).toMatch(/both use port 8443/);
  });

  it('a route without a host', () => {
    const error = errorOf((chart) => {
      const web = new MeshService(chart, 'web', { image, port: 80 });
      new MeshGateway(chart, 'edge', { http: { hosts: ['*'] } }).route({ host: '', to: web });
    });
    expect(error.message).toMatch(/^test\/edge route\.host: the route has no host/);
  });

  it('a workload port given as a number names the construct', () => {
    expect(errorOf((chart) => new MeshService(chart, 'web', { image, port: 70000 })).message).toBe(
      'test/web port: port 70000 is outside 1 to 65535. Use a whole number from 1 to 65535.',
    );
    expect(() => ServicePort.http(8080, { targetPort: 0 })).toThrowError(/targetPort: port 0 is outside 1 to 65535/);
  });

  it('probe ports and timings', () => {
    expect(() => HealthCheck.http('/healthz', { port: 0 })).toThrowError(/port: port 0 is outside/);
    expect(() => HealthCheck.tcp({ periodSeconds: 0 })).toThrowError(/periodSeconds: periodSeconds is 0. Give a whole number ≥ 1/);
  });
});

describe('fix texts fit the fault', () => {
  const canary = (weights: number[]) => (chart: Chart) =>
    new CanaryService(chart, 'reviews', { port: 9080, versions: weights.map((weight, i) => ({ name: `v${i + 1}`, image, weight })) });

  it('out of range, not whole, and not adding up are told apart', () => {
    expect(errorOf(canary([-10, 110])).message).toMatch(/weight of v1 is -10, outside 0 to 100. Give a percentage from 0 to 100/);
    expect(errorOf(canary([80.5, 19.5])).message).toMatch(/weight of v1 is 80.5; Istio takes whole percentages. Round it to a whole number/);
    expect(errorOf(canary([70, 20])).message).toMatch(/add up to 90 .*Give 10 more to one of them/);
    expect(errorOf(canary([NaN, 100])).message).toMatch(/weight of v1 is NaN, not a number/);
  });
});

describe('enum-like props, checked at run time too', () => {
  it.each<[string, (chart: Chart) => unknown, RegExp]>([
    ["a Mesh's injection typo, which must not take the namespace out of the mesh", (chart) => new Mesh(chart, 'shop', { injection: 'foo' as never }), /test\/shop injection: "foo" is not one of 'auto', 'manual', 'disabled'/],
    ['an empty injection', (chart) => new Mesh(chart, 'shop', { injection: '' as never }), /injection: "" is not one of/],
    ["a workload's injection in the wrong case", (chart) => new MeshService(chart, 'web', { image, port: 80, injection: 'Manual' as never }), /test\/web injection: "Manual" is not one of 'auto', 'manual', 'disabled'/],
    ['a mesh mTLS mode in lower case', (chart) => new Mesh(chart, 'shop', { mtls: 'strict' as never }), /test\/shop mtls: "strict" is not one of 'STRICT', 'PERMISSIVE'/],
    ['an outbound policy typo', (chart) => new Mesh(chart, 'shop', { outboundTrafficPolicy: 'REGISTRY' as never }), /outboundTrafficPolicy: "REGISTRY" is not one of 'ALLOW_ANY', 'REGISTRY_ONLY'/],
    ['a weights owner nobody knows', (chart) => new CanaryService(chart, 'web', { port: 80, weightsOwner: 'argo' as never, versions: [{ name: 'v1', image, weight: 100 }] }), /weightsOwner: "argo" is not one of 'meshform', 'controller'/],
    ['an HTTPS mode Istio has no such name for', (chart) => new MeshGateway(chart, 'gw', { https: { hosts: ['a.example.com'], credentialName: 'c', mode: 'TLS' as never } }), /https\.mode: "TLS" is not one of 'SIMPLE', 'MUTUAL'/],
    ['a spread across racks', (chart) => new MeshService(chart, 'web', { image, port: 80, topologySpread: { across: 'rack' as never } }), /topologySpread\.across: "rack" is not one of 'hostname', 'zone'/],
    ['a proxy log level typo', (chart) => new MeshService(chart, 'web', { image, port: 80, proxy: { logLevel: 'verbose' as never } }), /proxy\.logLevel: "verbose" is not one of 'trace'/],
  ])('%s', (_name, build, message) => {
    expect(errorOf(build).message).toMatch(message);
  });
});

describe('props of the wrong type, as JavaScript or a cast can give them', () => {
  it.each<[string, (chart: Chart) => unknown, string, RegExp]>([
    ['no image', (chart) => new MeshService(chart, 'web', { port: 80 } as never), 'image', /test\/web image: image is required/],
    ['a null port', (chart) => new MeshService(chart, 'web', { image, port: null as never }), 'port', /null is none of the forms|null is not/],
    ['a command given as a string, which would become ["s", "h"]', (chart) => new MeshService(chart, 'web', { image, port: 80, command: 'sh' as never }), 'command', /"sh" is not a list/],
    ['a numeric id', (chart) => new MeshService(chart, 5 as never, { image, port: 80 }), '', /the id is 5, not a name/],
    ['a null version', (chart) => new CanaryService(chart, 'web', { port: 80, versions: [null as never] }), 'versions[0]', /null is not an object/],
    ['an object as credential name', (chart) => new MeshGateway(chart, 'gw', { https: { hosts: ['a.example.com'], credentialName: {} as never } }), 'https.credentialName', /\{\} is not a string/],
    ['a plain object as mesh', (chart) => new MeshService(chart, 'web', { mesh: {} as never, image, port: 80 }), 'mesh', /\{\} is not a Mesh/],
    ['a string as replicas', (chart) => new MeshService(chart, 'web', { image, port: 80, replicas: '3' as never }), 'replicas', /"3" is not a number/],
    ['a scope that is not a construct', () => new MeshService({} as never, 'web', { image, port: 80 }), '', /web: the scope is \{\}, not a construct/],
    ['a blueprint option of the wrong type', (chart) => buildNifi(chart, { nodes: '3' as never }), 'nodes', /test nodes: "3" is not a number/],
    ['an Airflow image that is a number', (chart) => buildAirflow(chart, { image: 3 as never }), 'image', /test image: 3 is not a string/],
  ])('%s', (_name, build, field, message) => {
    const error = errorOf(build);
    expect(error.message).toMatch(message);
    if (field) expect(error.field).toBe(field);
  });
});

describe('props the types allow, which Kubernetes or Istio would reject', () => {
  it.each<[string, (chart: Chart) => unknown, string, RegExp]>([
    ['a revision that is not a label value', (chart) => new Mesh(chart, 'shop', { revision: '1.29 canary' }), 'revision', /is not a revision name/],
    ['an environment variable starting with a digit', (chart) => new MeshService(chart, 'web', { image, port: 80, env: { '1BAD': 'x' } }), "env['1BAD']", /is not an environment variable name/],
    ['an environment variable with =', (chart) => new MeshService(chart, 'web', { image, port: 80, env: { 'A=B': 'x' } }), "env['A=B']", /is not an environment variable name/],
    ['an annotation key with a space', (chart) => new MeshService(chart, 'web', { image, port: 80, podAnnotations: { 'has space': 'x' } }), "podAnnotations['has space']", /is not an annotation key/],
    ['a negative CPU request', (chart) => new MeshService(chart, 'web', { image, port: 80, resources: { requests: { cpu: '-1' } } }), 'resources.requests.cpu', /is not a resource amount/],
    ['an image with a space', (chart) => new MeshService(chart, 'web', { image: 'my image:1', port: 80 }), 'image', /is not an image reference/],
    ['an image path in upper case', (chart) => new MeshService(chart, 'web', { image: 'example.com/App:1', port: 80 }), 'image', /is not an image reference/],
    ['a negative fsGroup', (chart) => new MeshService(chart, 'web', { image, port: 80, fsGroup: -1 }), 'fsGroup', /-1 is not a user or group id/],
    ['a credential that is not a Secret name', (chart) => new MeshGateway(chart, 'gw', { https: { hosts: ['a.example.com'], credentialName: 'Shop TLS' } }), 'https.credentialName', /is not a Secret name/],
    ['an empty pinning header', (chart) => new CanaryService(chart, 'web', { port: 80, versions: [{ name: 'v1', image, weight: 100 }, { name: 'v2', image, weight: 0, pinnedBy: { '': 'x' } }] }), 'versions[1].pinnedBy', /"" is not a valid name/],
    ['a pinning header with a space', (chart) => new CanaryService(chart, 'web', { port: 80, versions: [{ name: 'v1', image, weight: 100 }, { name: 'v2', image, weight: 0, pinnedBy: { 'x canary': 'x' } }] }), 'versions[1].pinnedBy', /"x canary" is not a valid name/],
    ['a listener on the inbound capture port', (chart) => new MeshGateway(chart, 'gw', { http: { hosts: ['a.example.com'], port: 15006 }, deployment: {} }), 'http.port', /port 15006 is the gateway proxy's own/],
    ['a listener on the health port', (chart) => new MeshGateway(chart, 'gw', { http: { hosts: ['a.example.com'], port: 15021 }, deployment: {} }), 'http.port', /port 15021 is the gateway proxy's own/],
    ['a listener host with a space', (chart) => new MeshGateway(chart, 'gw', { http: { hosts: ['shop example.com'] }, deployment: {} }), 'http.hosts[0]', /is not a host name/],
    ['a deployed gateway without pods', (chart) => new MeshGateway(chart, 'gw', { http: { hosts: ['a.example.com'] }, deployment: { replicas: 0 } }), 'deployment.replicas', /A gateway without pods serves none/],
    ['a namespace label without a key', (chart) => new Mesh(chart, 'shop', { labels: { '': 'x' } }), 'labels.', /"" is not a label key/],
  ])('%s', (_name, build, field, message) => {
    const error = errorOf(build);
    expect(error.message).toMatch(message);
    expect(error.field).toBe(field);
  });
});
