import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binary, tempFiles } from '../support/cli.js';

// In a fresh process of the built package: module state is per process.
function run(script: string): string {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

describe('schema models', () => {
  it('load per kind for the command line, and say so when a kind was not loaded', () => {
    const output = run(`
      const { hasSchema, loadSchemasFor, schemaIssues } = await import('./lib/imports/schemas.js');
      const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { ports: [{ port: 'http' }] } };
      let before;
      try { schemaIssues(service); before = 'answered'; } catch (error) { before = error.message; }
      await loadSchemasFor([service, { apiVersion: 'v1', kind: 'Nope' }, { apiVersion: 'networking.istio.io/v9', kind: 'Gateway' }, { apiVersion: 'v1', kind: '../x' }]);
      console.log(JSON.stringify({ before, service: hasSchema('v1', 'Service'), issues: schemaIssues(service).length, nope: hasSchema('v1', 'Nope'), v9: hasSchema('networking.istio.io/v9', 'Gateway'), path: hasSchema('v1', '../x') }));
    `);
    expect(JSON.parse(output)).toEqual({ before: expect.stringContaining('the schema of v1/Service was not loaded'), service: true, issues: 1, nope: false, v9: false, path: false });
  });

  it('are all there for the library entry, without loading', () => {
    const output = run(`
      const { schemaIssues } = await import('./lib/src/index.js');
      console.log(schemaIssues({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'a' }, spec: { action: 'NOPE' } }).length > 0);
    `);
    expect(output).toBe('true');
  });
});

describe('every command of the binary', () => {
  // The binary loads only the schemas of its input: a command that validates without loading them fails.
  it.each([
    ['analyze', []],
    ['graph', []],
    ['graph', ['--edges']],
    ['graph', ['--footprint']],
    ['inject', ['-f']],
  ])('%s %s validates what it reads', (command, flags) => {
    const dir = tempFiles({ 'app.yaml': APP });
    const result = binary(command, ...flags, join(dir, 'app.yaml'));
    expect(result.stderr).not.toContain('unexpected error');
    expect(result.stderr).not.toContain('was not loaded');
  });
});

const APP = [
  'apiVersion: v1',
  'kind: Namespace',
  'metadata: { name: shop, labels: { istio-injection: enabled } }',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: { name: web, namespace: shop }',
  'spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: web:1 }] } } }',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: { name: web, namespace: shop }',
  'spec: { selector: { app: web }, ports: [{ name: http, port: 80 }] }',
  '---',
  'apiVersion: security.istio.io/v1',
  'kind: AuthorizationPolicy',
  'metadata: { name: web, namespace: shop }',
  'spec: { selector: { matchLabels: { app: web } }, rules: [{ from: [{ source: { namespaces: [shop] } }] }] }',
  '',
].join('\n');
