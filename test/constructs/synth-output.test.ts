import { ApiObject, App, Chart, Lazy } from 'cdk8s';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CanaryService, Mesh, MeshGateway, MeshService } from '../../src/index.js';

const image = 'example.com/app:1';
const NAMES = ['cart', 'catalog', 'checkout', 'payments', 'search'] as const;
const EDGES: readonly (readonly [number, number])[] = [[0, 1], [0, 2], [2, 3], [4, 1], [2, 1]];

/** A shop whose services, call edges and routes are declared in the given orders. */
function shopYaml(serviceOrder: readonly number[], edgeOrder: readonly number[], routeOrder: readonly number[]): string {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'meshform-order-')) });
  const chart = new Chart(app, 'shop');
  const mesh = new Mesh(chart, 'shop', { scopeSidecars: true });
  const services: (MeshService | CanaryService)[] = [];
  for (const index of serviceOrder) {
    const name = NAMES[index]!;
    services[index] =
      index % 2 === 0
        ? new MeshService(chart, name, { mesh, image, port: 8080 })
        : new CanaryService(chart, name, { mesh, port: 8080, versions: [{ name: 'v1', image, weight: 90 }, { name: 'v2', image, weight: 10 }] });
  }
  for (const edge of edgeOrder) services[EDGES[edge]![0]]!.connectTo(services[EDGES[edge]![1]]!);
  const gateway = new MeshGateway(chart, 'edge', { mesh, http: { hosts: ['*.shop.example.com'] } });
  for (const index of routeOrder) gateway.route({ host: `${NAMES[index]}.shop.example.com`, to: services[index]! });
  return app.synthYaml();
}

const documents = (yaml: string) => parseAllDocuments(yaml).map((document) => document.toString()).sort();
const permutation = (n: number) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });
const identity = (n: number) => [...Array(n).keys()];

describe('deterministic output', () => {
  const reference = shopYaml(identity(5), identity(5), identity(5));

  it('is byte-identical whatever order the calls and routes of independent hosts are declared in', () => {
    let runs = 0;
    fc.assert(
      fc.property(permutation(EDGES.length), (edgeOrder) => {
        runs++;
        expect(shopYaml(identity(5), edgeOrder, identity(5))).toBe(reference);
      }),
      { numRuns: 30 },
    );
    console.log(`determinism: ${runs} orders of connectTo calls`);
  });

  it('writes the same documents, byte for byte, whatever order the services are created in', () => {
    let runs = 0;
    fc.assert(
      fc.property(permutation(5), permutation(EDGES.length), permutation(5), (serviceOrder, edgeOrder, routeOrder) => {
        runs++;
        // cdk8s writes objects in creation order; each object itself must not depend on it.
        expect(documents(shopYaml(serviceOrder, edgeOrder, routeOrder))).toEqual(documents(reference));
      }),
      { numRuns: 30 },
    );
    console.log(`determinism: ${runs} orders of services, calls and routes`);
  });
});

describe('no partial output', () => {
  it('leaves the previous manifests untouched when a synth fails', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'meshform-keep-'));
    const good = new App({ outdir });
    const mesh = new Mesh(new Chart(good, 'shop'), 'shop');
    new MeshService(Chart.of(mesh), 'web', { mesh, image, port: 8080 });
    good.synth();
    const before = readFileSync(join(outdir, 'shop.k8s.yaml'), 'utf8');

    const bad = new App({ outdir });
    const chart = new Chart(bad, 'shop');
    new MeshGateway(chart, 'edge', { http: { hosts: ['*'] } });
    new ApiObject(chart, 'typo', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web' }, spec: { hosts: ['web'], gateways: ['egde'], http: [{ route: [{ destination: { host: 'web' } }] }] } });
    expect(() => bad.synth()).toThrowError(/IST0101/);
    expect(readdirSync(outdir)).toEqual(['shop.k8s.yaml']);
    expect(readFileSync(join(outdir, 'shop.k8s.yaml'), 'utf8')).toBe(before);
  });

  it('writes no chart at all when a later chart cannot be rendered', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'meshform-none-'));
    writeFileSync(join(outdir, 'keep.txt'), 'unrelated');
    const app = new App({ outdir });
    new MeshService(new Chart(app, 'first'), 'web', { image, port: 8080 });
    const second = new Chart(app, 'second');
    new MeshService(second, 'api', { image, port: 8080 });
    new ApiObject(second, 'broken', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'broken' },
      data: Lazy.any({
        produce: () => {
          throw new Error('cannot render');
        },
      }),
    });
    expect(() => app.synth()).toThrowError(/cannot render/);
    expect(readdirSync(outdir)).toEqual(['keep.txt']);
  });
});
