import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

interface LockedPackage {
  readonly version?: string;
  readonly dev?: boolean;
  readonly engines?: { readonly node?: string } | readonly string[];
}

it('every locked dependency supports the oldest Node.js it is used on: users\' for the runtime, the toolchain\'s for development', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const runtime = semver.minVersion(manifest.engines.node)!.version;
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain(`meshform needs **Node.js ≥ ${semver.major(runtime)}** at run time`);
  // The README's two commands run the development toolchain, on the Node it names.
  const development = semver.coerce(/with Node\.js ≥ (\d+\.\d+) \(the development toolchain's\)/.exec(readme)![1]!)!.version;
  expect(semver.gte(development, runtime)).toBe(true);

  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  expect(lock.packages['']!.engines).toEqual(manifest.engines);
  const unsupported = Object.entries(lock.packages).flatMap(([path, locked]) => {
    const range = Array.isArray(locked.engines) ? undefined : (locked.engines as { node?: string } | undefined)?.node;
    const oldest = locked.dev ? development : runtime;
    if (!path || !range || semver.satisfies(oldest, range, { includePrerelease: true })) return [];
    return [`${path.replace(/^.*node_modules\//, '')}@${locked.version} needs node ${range} (used on ${oldest})`];
  });
  // npm warns EBADENGINE for each of these on install.
  expect(unsupported).toEqual([]);
});
