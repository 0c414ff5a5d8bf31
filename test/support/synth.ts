import { Chart, Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { MeshformError } from '../../src/index.js';

/** A synthesized Kubernetes object, as plain JSON. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  [key: string]: any;
}

/** Builds a chart with `build` in a fresh app and returns what it synthesizes. */
export function synth(build: (chart: Chart) => void, namespace?: string): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  build(chart);
  return Testing.synth(chart) as Manifest[];
}

/** The MeshformError `build` throws when its chart is built or synthesized; fails on anything else. */
export function errorOf(build: (chart: Chart) => void): MeshformError {
  try {
    synth(build);
  } catch (error) {
    if (error instanceof MeshformError) return error;
    throw error;
  }
  throw new Error('expected a MeshformError');
}

/** Synthesizes a chart built by an example function. */
export function synthExample(example: (scope: Construct) => Chart): Manifest[] {
  return Testing.synth(example(Testing.app())) as Manifest[];
}

/** The one object of `kind` named `name`; fails when there is not exactly one. */
export function find(objects: readonly Manifest[], kind: string, name: string): Manifest {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!;
}

export function kinds(objects: readonly Manifest[]): string[] {
  return objects.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`);
}

/** ../shared/corpus beside the repository, or undefined when it is absent. */
export const CORPUS = (() => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
  return existsSync(root) ? root : undefined;
})();

export function corpusPath(...parts: string[]): string {
  if (!CORPUS) throw new Error('../shared/corpus is absent');
  return join(CORPUS, ...parts);
}

/** Every document of a YAML file, as plain objects (empty documents left out). */
export function readYamlDocuments(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS())
    .filter((doc): doc is Manifest => doc !== null && typeof doc === 'object');
}
