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

it('every locked dependency supports the oldest Node.js that package.json and the README name', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const oldest = semver.minVersion(manifest.engines.node)!.version;
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain(`Node.js ≥ ${semver.major(oldest)}.${semver.minor(oldest)}`);

  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  const unsupported = Object.entries(lock.packages).flatMap(([path, locked]) => {
    const range = Array.isArray(locked.engines) ? undefined : (locked.engines as { node?: string } | undefined)?.node;
    if (!path || !range || semver.satisfies(oldest, range, { includePrerelease: true })) return [];
    return [`${path.replace(/^.*node_modules\//, '')}@${locked.version} needs node ${range}`];
  });
  // npm warns EBADENGINE for each of these on install.
  expect(unsupported).toEqual([]);
});
