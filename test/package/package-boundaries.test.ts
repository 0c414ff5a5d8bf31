import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const LAYERS = ['imports', 'src/core', 'src/injection', 'src/analysis', 'src/trace', 'src/testing', 'src/constructs', 'src/blueprints', 'src/pulumi', 'src/cli'];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

function importsOf(file: string): string[] {
  return [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

function layerOf(file: string): number {
  return LAYERS.findIndex((layer) => file === layer || file.startsWith(`${layer}/`));
}

it('imports point one way only: each layer uses only the layers above it', () => {
  const violations: string[] = [];
  for (const [index, layer] of LAYERS.entries()) {
    for (const file of sources(layer).filter((f) => layerOf(f) === index)) {
      for (const specifier of importsOf(file).filter((s) => s.startsWith('.'))) {
        const target = relative(ROOT, join(ROOT, file, '..', specifier)).replace(/\.js$/, '.ts');
        const targetLayer = layerOf(target);
        if (targetLayer > index) violations.push(`${file} → ${target}`);
      }
    }
  }
  expect(violations).toEqual([]);
});

it('the main entry loads nothing from Pulumi, so cdk8s users never need it', () => {
  const offenders = LAYERS.filter((layer) => layer !== 'src/pulumi')
    .flatMap(sources)
    .filter((file) => importsOf(file).some((specifier) => specifier.startsWith('@pulumi/')));
  expect(offenders).toEqual([]);
  expect(readFileSync(join(ROOT, 'src/index.ts'), 'utf8')).not.toMatch(/pulumi/);
});

it('no file imports itself back through others (no import cycles)', () => {
  const files = LAYERS.flatMap(sources);
  const edges = new Map(
    files.map((file) => [
      file,
      importsOf(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => relative(ROOT, join(ROOT, file, '..', s)).replace(/\.js$/, '.ts'))
    ]),
  );
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const target of edges.get(file) ?? []) visit(target, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  expect(cycles).toEqual([]);
});

it('keeps every source folder to about one screen of files', () => {
  const counts = new Map<string, number>();
  for (const file of LAYERS.flatMap(sources)) counts.set(join(file, '..'), (counts.get(join(file, '..')) ?? 0) + 1);
  expect([...counts].filter(([, count]) => count > 13)).toEqual([]);
});
