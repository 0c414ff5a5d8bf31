import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bookinfo } from '../../examples/bookinfo.js';
import { analyze } from '../../src/analysis/index.js';
import { configureMeshAnalysis, Mesh, MeshformError, VirtualService } from '../../src/index.js';
import { synthExample } from '../support/synth.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Bookinfo with one JSON patch applied to the object at `path` (a construct path below the chart). */
function bookinfoWith(path: string, patch: JsonPatch): () => unknown {
  return () => {
    const app = new App({ outdir: `${Testing.app().outdir}/never` });
    const chart = bookinfo(app);
    const object = path.split('/').reduce((scope, id) => scope.node.findChild(id), chart as any) as ApiObject;
    object.addJsonPatch(patch);
    app.synth();
  };
}

describe('analysis at synth time', () => {
  it('finds nothing at Error in Bookinfo', () => {
    const diagnostics = analyze(synthExample(bookinfo));
    expect(diagnostics.filter((d) => d.level === 'Error')).toEqual([]);
    expect(diagnostics.filter((d) => d.level === 'Warning')).toEqual([]);
  });

  it.each([
    ['a gateway name', 'gateway/Route-bookinfo-gateway', JsonPatch.replace('/spec/gateways/0', 'bookinfo-gatway'), /\[bookinfo\/gateway\/Route-bookinfo-gateway\] IST0101 VirtualService bookinfo\/bookinfo-gateway \(spec\.gateways\[0\]\): Referenced gateway not found: "bookinfo-gatway"/],
    ['a subset', 'reviews/VirtualService', JsonPatch.replace('/spec/http/1/route/0/destination/subset', 'v11'), /\[bookinfo\/reviews\/VirtualService\] IST0101 VirtualService bookinfo\/reviews \(spec\.http\[1\]\.route\[0\]\.destination\.subset\): Referenced host\+subset in destinationrule not found: "reviews\+v11"/],
    ['a host', 'reviews/VirtualService', JsonPatch.replace('/spec/http/1/route/1/destination/host', 'reviewz'), /\[bookinfo\/reviews\/VirtualService\] IST0101 VirtualService bookinfo\/reviews \(spec\.http\[1\]\.route\[1\]\.destination\.host\): Referenced host not found: "reviewz"/],
    ['a port name', 'ratings/Service', JsonPatch.replace('/spec/ports/0/name', 'web'), /\[bookinfo\/ratings\/Service\] IST0118 Service bookinfo\/ratings \(spec\.ports\[0\]\): Port name web \(port: 9080, targetPort: 9080\)/],
  ])('fails the synth on a typo in %s, with the code and the construct path', (_what, path, patch, message) => {
    const run = bookinfoWith(path, patch);
    expect(run).toThrowError(MeshformError);
    expect(run).toThrowError(message);
  });

  it.each([
    ['a Deployment field', 'ratings/Deployment-v1', JsonPatch.add('/spec/template/spec/nodeSelectr', { disk: 'ssd' }), /Deployment ratings-v1: \/spec\/template\/spec\/nodeSelectr has unknown field "nodeSelectr"/],
    ['a VirtualService field', 'reviews/VirtualService', JsonPatch.add('/spec/http/1/timeoutt', '2s'), /VirtualService reviews: \/spec\/http\/1\/timeoutt has unknown field "timeoutt"/],
  ])('fails the synth on an unknown field in %s, which kubectl apply would refuse', (_what, path, patch, message) => {
    const run = bookinfoWith(path, patch);
    expect(run).toThrowError(MeshformError);
    expect(run).toThrowError(message);
  });

  it('names the chart and, per problem, the construct at fault', () => {
    let error: unknown;
    try {
      bookinfoWith('gateway/Route-bookinfo-gateway', JsonPatch.replace('/spec/gateways/0', 'bookinfo-gatway'))();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MeshformError);
    const { construct, problems } = error as MeshformError;
    expect(construct).toBe('bookinfo');
    expect(problems.map((p) => p.construct)).toEqual(['bookinfo/gateway/Route-bookinfo-gateway']);
    expect(problems[0]!.problem).toMatch(/^IST0101 VirtualService bookinfo\/bookinfo-gateway \(spec\.gateways\[0\]\): Referenced gateway not found/);
  });

  it('fails on weights that a patch made add up to 90', () => {
    expect(bookinfoWith('reviews/VirtualService', JsonPatch.replace('/spec/http/1/route/0/weight', 70))).toThrowError(
      /MF0002 VirtualService bookinfo\/reviews \(spec\.http\[1\]\.route\): the weights of HTTP route http #1 add up to 90 \(reviews\/v1=70, reviews\/v2=20\)/,
    );
  });

  it('hands the printed findings to onFinding instead of stderr, for tests to assert on', () => {
    const found: string[] = [];
    const printed: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) => (printed.push(text), true)) as typeof process.stderr.write;
    try {
      const app = new App({ outdir: `${Testing.app().outdir}/never` });
      const chart = bookinfo(app);
      configureMeshAnalysis(chart, { outputThreshold: 'Info', onFinding: (finding) => found.push(`${finding.level} ${finding.code} [${finding.construct}]`) });
      app.synth();
    } finally {
      process.stderr.write = write;
    }
    expect(found).toContain('Info MF0001 [bookinfo/gateway/Route-bookinfo-gateway]');
    expect(printed.filter((line) => line.startsWith('meshform:'))).toEqual([]);
  });

  it("refuses at synth an object that breaks the CEL rules of CRDs the chart is given (a KEDA or in-house kind)", () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'scalers.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Scaler', plural: 'scalers' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { min: { type: 'integer' }, max: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.min <= self.max', message: 'min must not exceed max' }] } } } },
          },
        ],
      },
    };
    const build = (min: number) => () => {
      const app = new App({ outdir: `${Testing.app().outdir}/never` });
      const chart = new Chart(app, 'scaling', { namespace: 'shop' });
      new Mesh(chart, 'shop', { namespace: 'shop' });
      configureMeshAnalysis(chart, { crds: [crd] });
      new ApiObject(chart, 'scaler', { apiVersion: 'example.com/v1', kind: 'Scaler', metadata: { name: 'web' }, spec: { min, max: 5 } });
      app.synth();
    };
    expect(build(10)).toThrowError(/IST0106 Scaler shop\/web \(spec\): Schema validation error: spec: min must not exceed max/);
    expect(build(1)).not.toThrow();
  });

  it('turns levels up, down and off per chart', () => {
    const build = (options: Parameters<typeof configureMeshAnalysis>[1]) => () => {
      const app = new App({ outdir: `${Testing.app().outdir}/never` });
      const chart = bookinfo(app);
      configureMeshAnalysis(chart, options);
      (chart.node.findChild('ratings').node.findChild('Service') as ApiObject).addJsonPatch(JsonPatch.replace('/spec/ports/0/name', 'web'));
      app.synth();
    };
    expect(build({ levels: { IST0118: 'Warning' } })).not.toThrow();
    expect(build({ levels: { IST0118: 'off' } })).not.toThrow();
    // MF0001 is Info for the gateway route of Bookinfo; turned up to Error it fails the synth.
    expect(build({ levels: { IST0118: 'off', MF0001: 'Error' } })).toThrowError(/MF0001 VirtualService bookinfo\/bookinfo-gateway/);
    expect(build({ levels: { IST0118: 'off' }, failureThreshold: 'Info' })).toThrowError(/MF0001 VirtualService bookinfo\/bookinfo-gateway/);
  });
});

describe('schema validation', () => {
  it('checks each Istio object once: by its meshform chart, or by itself in a plain chart', () => {
    const app = Testing.app();
    const plain = new Chart(app, 'plain');
    const alone = new VirtualService(plain, 'vs', { metadata: { name: 'vs' }, spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' }, weight: 'x' as never }] }] } });
    expect(alone.node.validate().join('\n')).toMatch(/weight/);

    const meshed = new Chart(app, 'meshed');
    new Mesh(meshed, 'shop');
    const covered = new VirtualService(meshed, 'vs', { metadata: { name: 'vs2' }, spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' }, weight: 'x' as never }] }] } });
    expect(covered.node.validate()).toEqual([]);
    expect(() => meshed.node.validate()).toThrowError(/VirtualService vs2: \/spec\/http\/0\/route\/0\/weight/);
  });
});

describe('the cdk8s synth command', () => {
  it('exits non-zero on a typo, names the code and construct path, and writes no manifest', () => {
    // Inside the repository, so that the app resolves cdk8s and meshform's sources.
    const dir = mkdtempSync(join(ROOT, '.synth-typo-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'cdk8s.yaml'), 'language: typescript\napp: npx tsx main.ts\n');
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import { App, JsonPatch } from 'cdk8s';",
        `import { bookinfo } from '${join(ROOT, 'examples/bookinfo.ts')}';`,
        'const app = new App();',
        'const chart = bookinfo(app);',
        "(chart.node.findChild('reviews').node.findChild('VirtualService') as any).addJsonPatch(JsonPatch.replace('/spec/http/1/route/0/destination/subset', 'v11'));",
        'app.synth();',
      ].join('\n'),
    );
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const run = spawnSync('npx', ['cdk8s', 'synth', '--check-upgrade=false'], { cwd: dir, encoding: 'utf8', env });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/\[bookinfo\/reviews\/VirtualService\] IST0101 VirtualService bookinfo\/reviews/);
    expect(existsSync(join(dir, 'dist', 'bookinfo.k8s.yaml'))).toBe(false);
  });
});
