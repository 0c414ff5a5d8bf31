/**
 * `npm run bench` (`-- --json` for one JSON line at the end): synthesis, analysis, the command
 * line, injection and the Pulumi path at platform scale, checked against their targets. Exits 1
 * when a target is missed.
 *
 * Synthesis runs in fresh processes (bench/synth-once.ts), meshform and the baseline in turn, and
 * reports the medians: meshform building N CanaryServices (in one namespace, or 10 to a namespace),
 * and the baseline — the identical objects as raw cdk8s ApiObjects, read from meshform's output
 * before the clock starts. The Pulumi path (bench/pulumi-once.ts) compares a MeshStack with a plain
 * @pulumi/kubernetes program registering the same objects, both under Pulumi's mocks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, callGraph, proxyFootprint } from '../src/analysis/index.js';
import { createTracer } from '../src/trace/index.js';
import { parseManifests, type KubeObject } from '../src/core/index.js';
import { injectObjects } from '../src/injection/index.js';
import { Testing } from 'cdk8s';
import { buildOneNamespaceMesh, manyNamespaceObjects } from './shapes.js';

const RUNS = 5;
/** Runs of each measurement at 10,000 services (a synth takes tens of seconds there). */
const LARGE_RUNS = 3;
const TARGETS = {
  synthRatio: 1.2,
  // Linear, with a margin: 10,000 services may take 10.5 times what 1,000 take.
  growth10000: 10.5,
  peakRatio10000: 1.3,
  peakMB10000: 1500,
  analyzeSeconds10k: 1,
  analyzeSeconds100k: 1,
  footprintSeconds1000: 1,
  cliAnalyzeSeconds1000: 1,
  cliSeconds10000: 3,
  // "Well under a second" for one request through the 1,000-service mesh, indexing included.
  traceSeconds1000: 0.5,
  pulumiRatio: 1.3,
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

type Shape = 'oneNamespace' | 'manyNamespaces';

function synthOnce(mode: 'meshform' | 'raw', shape: Shape, services: number, objectsFile?: string): SynthRun {
  const outdir = join(work, `${mode}-${shape}-${services}`);
  const args = ['--import', 'tsx', join(import.meta.dirname, 'synth-once.ts'), mode, shape, String(services), outdir, ...(objectsFile ? [objectsFile] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').at(-1)!) as SynthRun;
}

function pulumiOnce(mode: 'meshstack' | 'plain', services: number, objectsFile: string): SynthRun {
  const args = ['--import', 'tsx', join(import.meta.dirname, 'pulumi-once.ts'), mode, String(services), objectsFile];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').at(-1)!) as SynthRun;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/**
 * Median time and peak memory of meshform and of the raw baseline, their runs interleaved so that
 * both see the same load on the machine.
 */
function synthPair(shape: Shape, services: number, runs: number): { mesh: SynthRun; raw: SynthRun; objects: KubeObject[]; file: string; objectsFile: string } {
  const first = synthOnce('meshform', shape, services);
  const file = join(work, `meshform-${shape}-${services}`, 'platform.k8s.yaml');
  const objects = parseManifests(readFileSync(file, 'utf8'));
  const objectsFile = join(work, `objects-${shape}-${services}.json`);
  writeFileSync(objectsFile, JSON.stringify(objects));
  const mesh = [first];
  const raw = [synthOnce('raw', shape, services, objectsFile)];
  while (mesh.length < runs) {
    mesh.push(synthOnce('meshform', shape, services));
    raw.push(synthOnce('raw', shape, services, objectsFile));
  }
  return { mesh: summary(mesh), raw: summary(raw), objects, file, objectsFile };
}

function summary(runs: readonly SynthRun[]): SynthRun {
  return { seconds: median(runs.map((r) => r.seconds)), peakMB: median(runs.map((r) => r.peakMB)) };
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
const synthesized = new Map<string, { objects: KubeObject[]; file: string; objectsFile: string }>();
for (const [shape, services, runs] of [['oneNamespace', 1000, RUNS], ['oneNamespace', 10_000, LARGE_RUNS], ['manyNamespaces', 10_000, LARGE_RUNS]] as const) {
  const { mesh, raw, objects, file, objectsFile } = synthPair(shape, services, runs);
  synthesized.set(`${shape}${services}`, { objects, file, objectsFile });
  const ratio = mesh.seconds / raw.seconds;
  const where = shape === 'oneNamespace' ? 'one namespace' : '10 to a namespace';
  say(
    `synth ${services} CanaryServices (${objects.length} objects, ${where}): ${mesh.seconds.toFixed(2)} s, ${mesh.peakMB.toFixed(0)} MB peak; ` +
      `raw cdk8s ${raw.seconds.toFixed(2)} s, ${raw.peakMB.toFixed(0)} MB; ratio ${ratio.toFixed(2)}, memory ${(mesh.peakMB / raw.peakMB).toFixed(2)}`,
  );
  const suffix = shape === 'oneNamespace' ? `${services}` : `ManyNamespaces${services}`;
  figures[`synthSeconds${suffix}`] = mesh.seconds;
  figures[`baselineSeconds${suffix}`] = raw.seconds;
  figures[`synthRatio${suffix}`] = ratio;
  figures[`peakMB${suffix}`] = mesh.peakMB;
  figures[`baselinePeakMB${suffix}`] = raw.peakMB;
  figures[`peakRatio${suffix}`] = mesh.peakMB / raw.peakMB;
}
const growth10000 = figures.synthSeconds10000! / figures.synthSeconds1000!;
figures.growth10000 = growth10000;
say(`synth growth 1,000 → 10,000 services: ×${growth10000.toFixed(2)} (target ≤ ${TARGETS.growth10000})`);
const outputs = new Map<number, KubeObject[]>([[1000, synthesized.get('oneNamespace1000')!.objects], [10_000, synthesized.get('oneNamespace10000')!.objects]]);

const oneNamespace = outputs.get(10_000)!;
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
figures.analyzeSecondsOneNamespace80k = timeAnalyze(outputs.get(10_000)!);
say(`analyze, one namespace, the 10,000-service mesh (${outputs.get(10_000)!.length} objects): ${figures.analyzeSecondsOneNamespace80k.toFixed(2)} s`);
figures.analyzeSeconds100k = timeAnalyze(manyNamespaceObjects(100_000));
say(`analyze, 100,000 objects in many namespaces: ${figures.analyzeSeconds100k.toFixed(2)} s (target ≤ ${TARGETS.analyzeSeconds100k} s)`);

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

// One request through the 1,000-service mesh, as a test or `meshform trace` makes it: the
// manifests indexed, then the trace (a call from a workload, and a host at the gateway).
{
  const objects = outputs.get(1000)!;
  const traceOnce = () => {
    const tracer = createTracer(objects);
    const pinned = tracer.traceUrl({ url: 'http://svc-501:8080/', from: 'Deployment platform/svc-500-v1' });
    const edge = tracer.traceUrl({ url: 'http://svc-500.example.com/' });
    if (pinned.error || edge.error) throw new Error(`the bench mesh does not route: ${pinned.outcome.reason}; ${edge.outcome.reason}`);
  };
  traceOnce();
  figures.traceSeconds1000 = median(Array.from({ length: RUNS }, () => seconds(traceOnce)));
  say(`trace, the 1,000-service mesh: index and two requests ${(figures.traceSeconds1000 * 1000).toFixed(0)} ms (target ≤ ${TARGETS.traceSeconds1000 * 1000} ms)`);
}

// The command line end to end, node's start included, on the YAML the 1,000-service synth wrote.
const binary = join(import.meta.dirname, '..', 'bin', 'meshform.js');
const cli = (...args: string[]) => execFileSync(process.execPath, [binary, ...args], { maxBuffer: 1 << 28 });
const meshFile = synthesized.get('oneNamespace1000')!.file;
cli('analyze', meshFile); // fills Node's compile cache, as any earlier run would
figures.cliAnalyzeSeconds1000 = median(Array.from({ length: RUNS }, () => seconds(() => cli('analyze', meshFile))));
say(`meshform analyze (the CLI, in a child process) on the 1,000-service mesh's YAML: ${figures.cliAnalyzeSeconds1000.toFixed(2)} s`);
const largeFile = synthesized.get('oneNamespace10000')!.file;
figures.cliAnalyzeSeconds10000 = median(Array.from({ length: LARGE_RUNS }, () => seconds(() => cli('analyze', largeFile))));
figures.cliFootprintSeconds10000 = median(Array.from({ length: LARGE_RUNS }, () => seconds(() => cli('graph', '--footprint', largeFile))));
figures.cliTraceSeconds10000 = median(Array.from({ length: LARGE_RUNS }, () => seconds(() => cli('trace', largeFile, 'http://svc-5000.example.com/'))));
say(
  `the CLI on the 10,000-service mesh's YAML (${(readFileSync(largeFile).length / 1e6).toFixed(0)} MB): analyze ${figures.cliAnalyzeSeconds10000.toFixed(2)} s, ` +
    `graph --footprint ${figures.cliFootprintSeconds10000.toFixed(2)} s, trace ${figures.cliTraceSeconds10000.toFixed(2)} s (target ≤ ${TARGETS.cliSeconds10000} s)`,
);

// Pulumi's SDK holds every resource in memory: 1,000 services (8,000 resources) take it past a
// gigabyte under mocks, so the Pulumi path is measured there.
{
  const objectsFile = synthesized.get('oneNamespace1000')!.objectsFile;
  const stack: SynthRun[] = [];
  const plain: SynthRun[] = [];
  for (let run = 0; run < LARGE_RUNS; run++) {
    stack.push(pulumiOnce('meshstack', 1000, objectsFile));
    plain.push(pulumiOnce('plain', 1000, objectsFile));
  }
  const [mesh, raw] = [summary(stack), summary(plain)];
  figures.pulumiSeconds1000 = mesh.seconds;
  figures.pulumiBaselineSeconds1000 = raw.seconds;
  figures.pulumiRatio1000 = mesh.seconds / raw.seconds;
  figures.pulumiPeakMB1000 = mesh.peakMB;
  figures.pulumiBaselinePeakMB1000 = raw.peakMB;
  say(
    `Pulumi, 1,000 services under mocks: MeshStack ${mesh.seconds.toFixed(1)} s, ${mesh.peakMB.toFixed(0)} MB; ` +
      `plain @pulumi/kubernetes ${raw.seconds.toFixed(1)} s, ${raw.peakMB.toFixed(0)} MB; ratio ${figures.pulumiRatio1000.toFixed(2)}`,
  );
}

const deployments = outputs.get(1000)!.filter((object) => object.kind === 'Deployment');
injectObjects(deployments.slice(0, 50));
figures.injectPodsPerSecond = deployments.length / seconds(() => injectObjects(deployments));
say(`inject: ${deployments.length} pod templates at ${figures.injectPodsPerSecond.toFixed(0)} pods/s`);

const missed = [
  ...(['synthRatio1000', 'synthRatio10000', 'synthRatioManyNamespaces10000'] as const).map(
    (key) => figures[key]! > TARGETS.synthRatio && `${key}: synth is ${figures[key]!.toFixed(2)}× the raw baseline (target ≤ ${TARGETS.synthRatio})`,
  ),
  growth10000 > TARGETS.growth10000 && `synth of 10,000 services takes ${growth10000.toFixed(2)}× the time of 1,000 (target ≤ ${TARGETS.growth10000})`,
  figures.peakRatio10000! > TARGETS.peakRatio10000 && `peak memory at 10,000 services is ${figures.peakRatio10000!.toFixed(2)}× the baseline's (target ≤ ${TARGETS.peakRatio10000})`,
  figures.peakMB10000! > TARGETS.peakMB10000 && `peak memory at 10,000 services is ${figures.peakMB10000!.toFixed(0)} MB (target < ${TARGETS.peakMB10000})`,
  figures.cliAnalyzeSeconds1000! > TARGETS.cliAnalyzeSeconds1000 && `meshform analyze takes ${figures.cliAnalyzeSeconds1000!.toFixed(2)} s on the 1,000-service mesh (target ≤ ${TARGETS.cliAnalyzeSeconds1000} s)`,
  figures.traceSeconds1000! > TARGETS.traceSeconds1000 && `tracing a request through the 1,000-service mesh takes ${figures.traceSeconds1000!.toFixed(2)} s (target ≤ ${TARGETS.traceSeconds1000} s)`,
  ...(['cliAnalyzeSeconds10000', 'cliFootprintSeconds10000', 'cliTraceSeconds10000'] as const).map(
    (key) => figures[key]! > TARGETS.cliSeconds10000 && `${key} is ${figures[key]!.toFixed(2)} s on the 10,000-service mesh (target ≤ ${TARGETS.cliSeconds10000} s)`,
  ),
  figures.analyzeSeconds100k! > TARGETS.analyzeSeconds100k && `the analyzer takes ${figures.analyzeSeconds100k!.toFixed(2)} s on 100,000 objects (target ≤ ${TARGETS.analyzeSeconds100k} s)`,
  figures.pulumiRatio1000! > TARGETS.pulumiRatio && `the Pulumi path is ${figures.pulumiRatio1000!.toFixed(2)}× the plain program (target ≤ ${TARGETS.pulumiRatio})`,
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
  const keys = ['synthSeconds1000', 'baselineSeconds1000', 'synthRatio1000', 'synthSeconds10000', 'baselineSeconds10000', 'synthRatio10000', 'growth10000', 'peakMB10000', 'peakRatio10000', 'analyzeSeconds100k', 'cliAnalyzeSeconds10000', 'pulumiRatio1000'];
  const extra = Object.keys(figures).filter((key) => !keys.includes(key)).sort();
  console.log(JSON.stringify(Object.fromEntries([...keys, ...extra].map((key) => [key, Number(figures[key]!.toFixed(3))]))));
} else if (missed.length === 0) console.log('all targets met');
process.exit(missed.length > 0 ? 1 : 0);
