/**
 * `npm run bench`: checks the analyzer's speed target — 10,000 objects in under a second — on
 * copies of the synthesized Bookinfo, each in its own namespace with its own gateway host.
 * Prints the numbers and exits 1 when a target is missed.
 */
import { Testing } from 'cdk8s';
import { bookinfo } from '../examples/bookinfo.js';
import { analyze } from '../src/analysis/index.js';
import type { KubeObject } from '../src/core/index.js';

const TARGET_OBJECTS = 10_000;
const TARGET_MS = 1_000;
const RUNS = 5;

function copiesOfBookinfo(count: number): KubeObject[] {
  const template = JSON.stringify(Testing.synth(bookinfo(Testing.app())));
  const objects: KubeObject[] = [];
  for (let i = 0; objects.length < count; i++) {
    const copy = template.replaceAll('bookinfo', `bookinfo-${i}`).replaceAll('"*"', `"shop-${i}.example.com"`);
    objects.push(...(JSON.parse(copy) as KubeObject[]));
  }
  return objects.slice(0, count);
}

const objects = copiesOfBookinfo(TARGET_OBJECTS);
analyze(structuredClone(objects)); // warm-up: module loading and JIT are not what the target is about
const times: number[] = [];
let findings = 0;
const heapBefore = process.memoryUsage().heapUsed;
for (let run = 0; run < RUNS; run++) {
  // Fresh objects each run: nothing computed for an earlier run may be reused.
  const input = structuredClone(objects);
  const start = performance.now();
  findings = analyze(input).length;
  times.push(performance.now() - start);
}
const heapAfter = process.memoryUsage().heapUsed;
times.sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)]!;

console.log(`analyze: ${objects.length} objects, ${findings} findings`);
console.log(`  median ${median.toFixed(0)} ms over ${RUNS} runs (min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)}); target < ${TARGET_MS} ms`);
console.log(`  heap ${(heapBefore / 2 ** 20).toFixed(0)} MiB before, ${(heapAfter / 2 ** 20).toFixed(0)} MiB after`);
if (median >= TARGET_MS) {
  console.error(`analyze missed its target: ${median.toFixed(0)} ms ≥ ${TARGET_MS} ms`);
  process.exit(1);
}
