import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type KubeObject, MeshformError, parseManifests } from '../core/index.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** The manifest files a path stands for: the file itself, or every YAML/JSON file below a folder, sorted. */
export function manifestFiles(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new MeshformError(`cannot read ${path}: no such file or folder`, { fix: 'Check the path.' });
  }
  if (!stats.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && MANIFEST_FILE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Reads and parses every manifest under the given paths. */
export function readManifests(paths: readonly string[]): KubeObject[] {
  return paths.flatMap(manifestFiles).flatMap((file) => parseManifests(readText(file), file));
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new MeshformError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      fix: 'Check the path and its permissions.',
    });
  }
}
