import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README says: ES module only; require() fails with a clear code, import() from CommonJS works.
describe('the package from a CommonJS app', () => {
  const app = mkdtempSync(join(tmpdir(), 'meshform-cjs-'));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(resolve('.'), join(app, 'node_modules', 'meshform'));
  const run = (code: string) => spawnSync(process.execPath, ['-e', code], { cwd: app, encoding: 'utf8' });

  it('refuses require() with ERR_PACKAGE_PATH_NOT_EXPORTED, as the README says', () => {
    expect(run("try { require('meshform') } catch (e) { console.log(e.code) }").stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('loads through import()', () => {
    expect(run("import('meshform').then((m) => console.log(typeof m.Mesh, typeof m.CanaryService))").stdout.trim()).toBe('function function');
  });
});
