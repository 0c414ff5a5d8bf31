/**
 * One synthesis in a process of its own, so that its time and peak memory are its own:
 * `tsx bench/synth-once.ts meshform|raw oneNamespace|manyNamespaces SERVICES OUTDIR [OBJECTS.json]`. Prints one JSON line.
 */
import { App } from 'cdk8s';
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../src/core/index.js';
import { buildManyNamespaceMesh, buildOneNamespaceMesh, buildRawObjects } from './shapes.js';

const [mode, shape, services, outdir, objectsFile] = process.argv.slice(2);
// The raw baseline reads its objects before the clock starts: only construct + synth is timed.
const objects = mode === 'raw' ? (JSON.parse(readFileSync(objectsFile!, 'utf8')) as KubeObject[]) : [];
// Warnings of the analyzer would be printed for every object; the benchmark is about time.
process.stderr.write = () => true;
const start = performance.now();
const app = new App({ outdir: outdir! });
if (mode === 'raw') buildRawObjects(app, objects);
else if (shape === 'manyNamespaces') buildManyNamespaceMesh(app, Number(services));
else buildOneNamespaceMesh(app, Number(services));
app.synth();
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, peakMB: process.resourceUsage().maxRSS / 1024 }));
