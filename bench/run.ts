/**
 * `npm run bench` (`-- --json` for one JSON line at the end): synthesis, analysis and injection
 * at platform scale, checked against their targets. Exits 1 when a target is missed.
 *
 * Synthesis runs in fresh processes (bench/synth-once.ts), five times each, meshform and the
 * baseline in turn, and reports the medians: meshform building N CanaryServices in one namespace,
 * and the baseline — the identical objects as raw cdk8s ApiObjects, read from meshform's output
 * before the clock starts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, callGraph, proxyFootprint } from '../src/analysis/index.js';
import { parseManifests, type KubeObject } from '../src/core/index.js';
import { injectObjects } from '../src/injection/index.js';
import { Testing } from 'cdk8s';
import { buildOneNamespaceMesh, manyNamespaceObjects } from './shapes.js';

const RUNS = 5;
const TARGETS = {
  synthRatio1000: 1.5,
  growth2000: 2.2,
  analyzeSeconds10k: 1,
  footprintSeconds1000: 1,
  cliAnalyzeSeconds1000: 1,
  // n·log n from 1,000 to 10,000 objects: 10 × log(10,000)/log(1,000).
  analyzeGrowth: (10 * Math.log(10_000)) / Math.log(1_000),
};

const json = process.argv.includes('--json');
const work = mkdtempSync(join(tmpdir(), 'meshform-bench-'));
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  if (!json) console.log(line);
};

interface SynthRun {
  readonly seconds: number;
  readonly peakMB: number;
}

function synthOnce(mode: 'meshform' | 'raw', services: number, objectsFile?: string): SynthRun {
  const outdir = join(work, `${mode}-${services}`);
  const args = ['--import', 'tsx', join(import.meta.dirname, 'synth-once.ts'), mode, String(services), outdir, ...(objectsFile ? [objectsFile] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n').at(-1)!) as SynthRun;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/**
 * Median time and peak memory of meshform and of the raw baseline, their runs interleaved so that
 * both see the same load on the machine.
 */
function synthPair(services: number): { mesh: SynthRun; raw: SynthRun; objects: KubeObject[] } {
  const first = synthOnce('meshform', services);
  const objects = parseManifests(readFileSync(join(work, `meshform-${services}`, 'platform.k8s.yaml'), 'utf8'));
  const objectsFile = join(work, `objects-${services}.json`);
  writeFileSync(objectsFile, JSON.stringify(objects));
  const mesh = [first];
  const raw = [synthOnce('raw', services, objectsFile)];
  while (mesh.length < RUNS) {
    mesh.push(synthOnce('meshform', services));
    raw.push(synthOnce('raw', services, objectsFile));
  }
  const summary = (runs: SynthRun[]) => ({ seconds: median(runs.map((r) => r.seconds)), peakMB: median(runs.map((r) => r.peakMB)) });
  return { mesh: summary(mesh), raw: summary(raw), objects };
}

/** The seconds `work` takes. */
function seconds(work: () => void): number {
  const start = performance.now();
  work();
  return (performance.now() - start) / 1000;
}

function timeAnalyze(objects: readonly KubeObject[]): number {
  analyze(structuredClone(objects)); // warm-up: JIT and module state are not what is measured
  return median(
    Array.from({ length: RUNS }, () => {
      const input = structuredClone(objects); // nothing cached for an earlier run may be reused
      return seconds(() => analyze(input));
    }),
  );
}

say(`meshform bench on ${cpus().length} cores, Node ${process.version}`);

const figures: Record<string, number> = {};
const outputs = new Map<number, KubeObject[]>();
for (const services of [100, 1000, 2000]) {
  const { mesh, raw, objects } = synthPair(services);
  outputs.set(services, objects);
  const ratio = mesh.seconds / raw.seconds;
  say(
    `synth ${services} CanaryServices (${objects.length} objects, one namespace): ${mesh.seconds.toFixed(2)} s, ${mesh.peakMB.toFixed(0)} MB peak; ` +
      `raw cdk8s ${raw.seconds.toFixed(2)} s, ${raw.peakMB.toFixed(0)} MB; ratio ${ratio.toFixed(2)}`,
  );
  figures[`synthSeconds${services}`] = mesh.seconds;
  figures[`baselineSeconds${services}`] = raw.seconds;
  figures[`synthRatio${services}`] = ratio;
  figures[`peakMB${services}`] = mesh.peakMB;
}
const growth2000 = figures.synthSeconds2000! / figures.synthSeconds1000!;
say(`synth growth 1,000 → 2,000 services: ×${growth2000.toFixed(2)} (target ≤ ${TARGETS.growth2000})`);

const oneNamespace = outputs.get(2000)!;
const shapes = { manyNamespaces: manyNamespaceObjects(10_000), oneNamespace };
for (const [shape, objects] of Object.entries(shapes)) {
  const small = timeAnalyze(objects.slice(0, 1_000));
  const large = timeAnalyze(objects.slice(0, 10_000));
  say(`analyze, ${shape}: 1,000 objects ${(small * 1000).toFixed(0)} ms, 10,000 objects ${(large * 1000).toFixed(0)} ms (×${(large / small).toFixed(1)})`);
  const prefix = shape === 'oneNamespace' ? 'analyzeSecondsOneNamespace' : 'analyzeSeconds';
  figures[`${prefix}1k`] = small;
  figures[`${prefix}10k`] = large;
}
figures.analyzeSecondsOneNamespace7k = timeAnalyze(outputs.get(1000)!);
say(`analyze, one namespace, the 1,000-service mesh (${outputs.get(1000)!.length} objects): ${(figures.analyzeSecondsOneNamespace7k * 1000).toFixed(0)} ms`);

// The footprint and call graph of the 1,000-service mesh with scoped sidecars (one Sidecar per workload).
const scoped = Testing.synth(buildOneNamespaceMesh(Testing.app(), 1000, { scopeSidecars: true })) as KubeObject[];
proxyFootprint(scoped.slice(0, 500));
const footprintStart = performance.now();
const footprint = proxyFootprint(scoped);
figures.footprintSeconds1000 = (performance.now() - footprintStart) / 1000;
figures.callGraphSeconds1000 = seconds(() => callGraph(scoped));
say(
  `graph --footprint, the scoped 1,000-service mesh (${scoped.length} objects, ${footprint.workloads.length} workloads): ${(figures.footprintSeconds1000 * 1000).toFixed(0)} ms ` +
    `(services per proxy ${footprint.total.meshWide.services} → ${footprint.total.scoped.services} in all); graph --edges: ${(figures.callGraphSeconds1000 * 1000).toFixed(0)} ms`,
);

// The command line end to end, node's start included, on the YAML the 1,000-service synth wrote.
const meshFile = join(work, 'meshform-1000', 'platform.k8s.yaml');
const binary = join(import.meta.dirname, '..', 'bin', 'meshform.js');
execFileSync(process.execPath, [binary, 'analyze', meshFile]); // fills Node's compile cache, as any earlier run would
figures.cliAnalyzeSeconds1000 = median(Array.from({ length: RUNS }, () => seconds(() => execFileSync(process.execPath, [binary, 'analyze', meshFile]))));
say(`meshform analyze (the CLI, in a child process) on the 1,000-service mesh's YAML: ${figures.cliAnalyzeSeconds1000.toFixed(2)} s`);

const deployments = outputs.get(1000)!.filter((object) => object.kind === 'Deployment');
injectObjects(deployments.slice(0, 50));
figures.injectPodsPerSecond = deployments.length / seconds(() => injectObjects(deployments));
say(`inject: ${deployments.length} pod templates at ${figures.injectPodsPerSecond.toFixed(0)} pods/s`);

const missed = [
  figures.synthRatio1000! > TARGETS.synthRatio1000 && `synth is ${figures.synthRatio1000!.toFixed(2)}× the raw baseline at 1,000 services (target ≤ ${TARGETS.synthRatio1000})`,
  growth2000 > TARGETS.growth2000 && `synth of 2,000 services takes ${growth2000.toFixed(2)}× the time of 1,000 (target ≤ ${TARGETS.growth2000})`,
  figures.cliAnalyzeSeconds1000! > TARGETS.cliAnalyzeSeconds1000 && `meshform analyze takes ${figures.cliAnalyzeSeconds1000!.toFixed(2)} s on the 1,000-service mesh (target ≤ ${TARGETS.cliAnalyzeSeconds1000} s)`,
  figures.footprintSeconds1000! > TARGETS.footprintSeconds1000 && `graph --footprint takes ${figures.footprintSeconds1000!.toFixed(2)} s on the 1,000-service mesh (target ≤ ${TARGETS.footprintSeconds1000} s)`,
  ...(['analyzeSeconds10k', 'analyzeSecondsOneNamespace10k'] as const).map(
    (key) => figures[key]! > TARGETS.analyzeSeconds10k && `${key} is ${figures[key]!.toFixed(2)} s (target ≤ ${TARGETS.analyzeSeconds10k} s)`,
  ),
  ...(['', 'OneNamespace'] as const).map((shape) => {
    const growth = figures[`analyzeSeconds${shape}10k`]! / figures[`analyzeSeconds${shape}1k`]!;
    return growth > TARGETS.analyzeGrowth && `analyze${shape} grows ×${growth.toFixed(1)} from 1,000 to 10,000 objects (n·log n allows ×${TARGETS.analyzeGrowth.toFixed(1)})`;
  }),
].filter((miss): miss is string => Boolean(miss));

rmSync(work, { recursive: true, force: true });
for (const miss of missed) console.error(`missed: ${miss}`);
if (json) {
  const keys = ['synthSeconds1000', 'baselineSeconds1000', 'synthRatio1000', 'synthSeconds2000', 'peakMB1000', 'analyzeSeconds1k', 'analyzeSeconds10k', 'analyzeSecondsOneNamespace7k', 'injectPodsPerSecond'];
  const extra = Object.keys(figures).filter((key) => !keys.includes(key)).sort();
  console.log(JSON.stringify(Object.fromEntries([...keys, ...extra].map((key) => [key, Number(figures[key]!.toFixed(3))]))));
} else if (missed.length === 0) console.log('all targets met');
process.exit(missed.length > 0 ? 1 : 0);
