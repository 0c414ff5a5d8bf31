import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bookinfo } from '../../examples/bookinfo.js';
import { cli, tempFiles } from '../support/cli.js';
import { synthExample, type Manifest } from '../support/synth.js';

/** `meshform analyze` must end with a verdict (0, 79) or a named read failure (1), never a crash. */
async function analyzeText(files: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = tempFiles(files);
  const result = await cli('analyze', '-o', 'json', dir);
  expect([0, 1, 79]).toContain(result.code);
  expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
  if (result.code !== 1 || result.stdout) JSON.parse(result.stdout);
  return result;
}

const BOOKINFO = synthExample(bookinfo);

/** A path into an object, and a value to put there or undefined to delete. */
const mutation = fc.record({
  object: fc.nat(),
  depth: fc.nat({ max: 6 }),
  choice: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
  value: fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
    fc.constant(Array.from({ length: 2000 }, (_, i) => ({ name: `p${i}`, port: i }))),
  ),
});

function mutate(objects: readonly Manifest[], changes: readonly { object: number; depth: number; choice: number[]; value: unknown }[]): unknown[] {
  const copy = structuredClone(objects) as unknown[];
  for (const { object, depth, choice, value } of changes) {
    let node = copy[object % copy.length] as Record<string, unknown>;
    for (let level = 0; level < depth; level++) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const next = node[keys[choice[level]! % keys.length]!];
      if (next === null || typeof next !== 'object') break;
      node = next as Record<string, unknown>;
    }
    const keys = Object.keys(node);
    const key = keys.length > 0 ? keys[choice[5]! % keys.length]! : 'x';
    if (value === undefined) delete node[key];
    else node[key] = value;
  }
  return copy;
}

let runs = 0;

describe('meshform analyze on fuzzed input', () => {
  it('analyzes mutated Bookinfo manifests (wrong types, missing fields, huge lists, unicode) without crashing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (changes) => {
        runs++;
        const objects = mutate(BOOKINFO, changes);
        await analyzeText({ 'bookinfo.yaml': objects.map((o) => stringify(o)).join('---\n') });
      }),
      // Inputs are large (lists of 2,000 ports): report the first failure as found, unshrunk.
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200), endOnFailure: true, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    console.log(`fuzz: ${runs} mutated Bookinfo inputs analyzed`);
  });

  it('names the file and line of text that is not YAML, and analyzes the other files', async () => {
    let garbage = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), async (text) => {
        garbage++;
        const result = await analyzeText({ 'junk.yaml': text, 'good.yaml': stringify(BOOKINFO[1]) });
        // good.yaml always holds an object, so there is always a verdict on stdout.
        expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
        if (result.code === 1 && /junk\.yaml/.test(result.stderr)) expect(result.stderr).toMatch(/junk\.yaml(:\d+)? is not valid YAML|junk\.yaml holds no Kubernetes objects/);
      }),
      { numRuns: 150 },
    );
    console.log(`fuzz: ${garbage} random texts read`);
  });

  it('survives aliases that make a document refer to itself', async () => {
    const cyclic = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: loop, namespace: shop }\nspec: &spec\n  hosts: [a]\n  http:\n    - route: [{ destination: { host: a } }]\n      nested: *spec\n';
    const result = await analyzeText({ 'cyclic.yaml': cyclic });
    // Analyzed like any other VirtualService: its host does not exist.
    expect(result.code).toBe(79);
    expect(JSON.parse(result.stdout)).toContainEqual(expect.objectContaining({ code: 'IST0101', origin: 'VirtualService shop/loop' }));
  });

  it('reads a 10 MB document and a list of 100,000 items in bounded time', async () => {
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'shop' }, data: { blob: 'ü'.repeat(5 * 2 ** 20) } };
    const many = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'wide', namespace: 'shop' }, spec: { selector: { app: 'x' }, ports: Array.from({ length: 100_000 }, (_, i) => ({ name: `tcp-${i}`, port: (i % 65535) + 1 })) } };
    const dir = tempFiles({});
    writeFileSync(join(dir, 'big.yaml'), stringify(big));
    writeFileSync(join(dir, 'many.json'), JSON.stringify(many));
    expect(readFileSync(join(dir, 'big.yaml')).length).toBeGreaterThan(10 * 2 ** 20);
    const start = performance.now();
    const result = await cli('analyze', '-o', 'json', dir);
    expect([0, 79]).toContain(result.code);
    expect(performance.now() - start).toBeLessThan(20_000);
  }, 30_000);
});
