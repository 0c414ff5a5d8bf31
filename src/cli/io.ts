import { renameSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Writes a whole output file or nothing: the text goes to a temporary file beside it, which then
 * replaces the target, so that a failure never leaves half a manifest behind.
 */
export function writeOutput(file: string, text: string): void {
  const temporary = `${file}.meshform-${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new MeshformError(`cannot write ${file}: ${describeFileError(error)}`, { fix: 'Choose a path in a folder that exists and that you may write to.' });
  }
}
