import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, lstatSync, openSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MeshformError } from '../core/index.js';

/** Where a command writes; a test passes buffers, the binary passes the process streams. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit codes: istioctl's for findings, 1 for input that cannot be read. */
export const EXIT_OK = 0;
export const EXIT_UNREADABLE = 1;
export const EXIT_FINDINGS = 79;

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EEXIST: 'it exists already',
};

/** A file system error in words, without Node's errno codes. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && FILE_ERRORS[code]) ?? 'it cannot be read or written';
}

/** What a path is, when it exists and is not a plain file that `-o` may replace. */
function notRegularFile(file: string): string | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch {
    return undefined;
  }
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a folder';
  if (!stats.isFile()) return 'a device, socket or FIFO';
  // Replacing it would leave the other names of the file with the old content.
  if (stats.nlink > 1) return 'a file with other hard links';
  return undefined;
}

/**
 * Writes a whole output file or nothing: the text goes to a new temporary file beside it, created
 * exclusively under a random name (so nothing planted there is followed), with the target's mode,
 * which then replaces the target. Only a regular file is replaced: a link, a device or a FIFO is
 * refused rather than swapped for a new file.
 */
export function writeOutput(file: string, text: string): void {
  const refused = notRegularFile(file);
  if (refused) {
    throw new MeshformError(`cannot write ${file}: it is ${refused}`, { fix: 'Give -o a path to a regular file (or a new one), or write to stdout and redirect it.' });
  }
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    // A new file: the default mode (under the umask).
  }
  const temporary = join(dirname(file), `.${basename(file)}.meshform-${randomBytes(8).toString('hex')}.tmp`);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(temporary, 'wx', mode);
    writeFileSync(descriptor, text);
    fchmodSync(descriptor, mode);
    closeSync(descriptor);
    descriptor = undefined;
    renameSync(temporary, file);
  } catch (error) {
    if (descriptor !== undefined) closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw new MeshformError(`cannot write ${file}: ${describeFileError(error)}`, { fix: 'Choose a path in a folder that exists and that you may write to.' });
  }
}
