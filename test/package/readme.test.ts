import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { parseAllDocuments } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');

it('the README quick start is at most 15 lines and synthesizes what it says', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const quickStart = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  expect(quickStart.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
  // Inside the repository, so that the program resolves cdk8s from its node_modules.
  const dir = mkdtempSync(join(ROOT, '.readme-quickstart-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  // Imported as users do, by package name: Node resolves it to the built entry through `exports`.
  writeFileSync(join(dir, 'main.ts'), quickStart);
  // A clean environment: the test runner's own variables must not reach the child's loader.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'main.ts'], { cwd: dir, encoding: 'utf8', env });
  expect(run.status, run.stderr.slice(0, 2000)).toBe(0);
  const kinds = parseAllDocuments(readFileSync(join(dir, 'dist/shop.k8s.yaml'), 'utf8')).map((d) => d.toJS().kind);
  expect(new Set(kinds)).toEqual(
    new Set(['Namespace', 'PeerAuthentication', 'ServiceAccount', 'Service', 'Deployment', 'DestinationRule', 'AuthorizationPolicy', 'VirtualService', 'Gateway']),
  );
});
