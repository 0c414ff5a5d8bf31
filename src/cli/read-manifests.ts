import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MeshformError, parseManifests, type KubeObject } from '../core/index.js';
import { describeFileError } from './io.js';
import { DEFAULT_MAX_INPUT_BYTES, readStdin, readText, type StdinReader } from './read-input.js';

/** What a command reading manifests is told besides the paths. */
export interface ReadOptions {
  /** Read the sub-folders of folders too. */
  readonly recursive?: boolean;
  readonly readStdin?: StdinReader;
  /** The bound of one input (`--max-input-size`). */
  readonly maxInputBytes?: number;
  /** Keep the last of a repeated key, as Istio's config reader does, rather than refuse the file as kubectl does. */
  readonly allowRepeatedKeys?: boolean;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** What a set of paths held: the objects, and what could not be used, each naming its path. */
export interface ReadResult {
  readonly objects: KubeObject[];
  /** Files or folders that could not be read or parsed (with the line, for YAML errors). */
  readonly unreadable: string[];
  /** Paths that hold no Kubernetes object: empty files and folders, YAML without `kind`. */
  readonly empty: string[];
  /** The file each object was read from. */
  readonly sources: Map<KubeObject, string>;
}

/**
 * The manifest files a path stands for: the file itself, or the YAML/JSON files of a folder
 * (and of its sub-folders with `recursive`, as istioctl's `--recursive`), sorted.
 */
export function manifestFiles(path: string, recursive: boolean): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new MeshformError(`cannot read ${path}: ${describeFileError(error)}`, { fix: 'Check the path.' });
  }
  if (!stats.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true, recursive })
    .filter((entry) => MANIFEST_FILE.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && isFileBehindLink(join(entry.parentPath, entry.name)))))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A link to a file counts as the file: a ConfigMap mounted as a folder is made of such links. */
function isFileBehindLink(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Reads and parses every manifest under the given paths, keeping what can be used. */
export function readManifests(paths: readonly string[], options: ReadOptions = {}): ReadResult {
  const maxBytes = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const result: ReadResult = { objects: [], unreadable: [], empty: [], sources: new Map() };
  for (const path of paths) {
    let files: string[];
    try {
      files = path === '-' ? ['-'] : manifestFiles(path, options.recursive ?? false);
    } catch (error) {
      result.unreadable.push(messageOf(error));
      continue;
    }
    if (files.length === 0) result.empty.push(`${path} (no YAML or JSON files${options.recursive ? '' : '; add --recursive for sub-folders'})`);
    for (const file of files) {
      try {
        // "-" is standard input, as for istioctl and kubectl.
        const parse = { repeatedKeys: options.allowRepeatedKeys ? ('last' as const) : ('refuse' as const) };
        const objects = file === '-' ? parseManifests((options.readStdin ?? readStdin)(maxBytes), 'standard input', parse) : parseManifests(readText(file, maxBytes), file, parse);
        if (objects.length === 0) result.empty.push(file);
        for (const object of objects) {
          result.objects.push(object);
          result.sources.set(object, file);
        }
      } catch (error) {
        result.unreadable.push(messageOf(error));
      }
    }
  }
  return result;
}

function messageOf(error: unknown): string {
  if (error instanceof MeshformError) return error.message;
  throw error;
}

/** Says on stderr what could not be used, naming each path; true when something was unreadable. */
export function reportReadProblems(result: ReadResult, io: { readonly stderr: (text: string) => void }): boolean {
  for (const problem of result.unreadable) io.stderr(`meshform: ${problem}\n`);
  for (const path of result.empty) io.stderr(`meshform: ${path} holds no Kubernetes objects (no YAML document with a kind)\n`);
  return result.unreadable.length > 0;
}
