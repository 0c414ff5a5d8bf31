import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';
import { MeshformError } from '../core/index.js';
import { describeFileError } from './io.js';

/** The default bound of one input: 100 times the YAML of a 10,000-service mesh would not reach it. */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

const CHUNK = 1024 * 1024;
const UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `--max-input-size 512M`: bytes, or K, M, G (binary multiples, an `i` or `B` allowed after them). */
export function parseSize(value: string): number {
  const match = /^(\d+)\s*([KMG]?)(?:i?B)?$/i.exec(value.trim());
  if (!match || Number(match[1]) === 0) throw new InvalidArgumentError('give a size such as 64M, 1G or 500000 (bytes).');
  return Number(match[1]) * UNITS[match[2]!.toUpperCase()]!;
}

/** The option every command that reads manifests has: how large one input may be. */
export function maxInputSizeOption(): Option {
  return new Option('--max-input-size <size>', 'refuse an input file (or standard input) larger than this; K, M and G suffixes').argParser(parseSize).default(DEFAULT_MAX_INPUT_BYTES, '256M');
}

/**
 * Reads a whole input as UTF-8 text, `-` being standard input, and never more than `maxBytes`: a
 * FIFO or `/dev/zero` is read until its end or the bound, not into unbounded memory. Text that is
 * not UTF-8 is refused (Kubernetes reads nothing else) rather than patched with U+FFFD.
 */
export function readText(path: string, maxBytes = DEFAULT_MAX_INPUT_BYTES): string {
  const name = path === '-' ? 'standard input' : path;
  const bytes = readBounded(path, name, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw new MeshformError(`${name}:${line} is not UTF-8 text (an invalid byte sequence on that line)`, {
      fix: 'Convert the file to UTF-8 (for example with iconv), or remove the binary data.',
    });
  }
}

/** Reads standard input (bounded, as every input); a test passes the text instead. */
export type StdinReader = (maxBytes: number) => string;

export const readStdin: StdinReader = (maxBytes) => readText('-', maxBytes);

function readBounded(path: string, name: string, maxBytes: number): Buffer {
  let descriptor: number;
  try {
    descriptor = path === '-' ? 0 : openSync(path, 'r');
  } catch (error) {
    throw new MeshformError(`cannot read ${name}: ${describeFileError(error)}`, { fix: 'Check the path and its permissions.' });
  }
  try {
    const stats = fstatSync(descriptor);
    if (stats.isDirectory()) throw new MeshformError(`cannot read ${name}: ${describeFileError({ code: 'EISDIR' })}`, { fix: 'Name a file, or the folder as an argument of its own.' });
    if (stats.isFile() && stats.size > maxBytes) throw tooLarge(name, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const count = readChunk(descriptor, chunk);
      if (count === 0) break;
      total += count;
      if (total > maxBytes) throw tooLarge(name, maxBytes);
      chunks.push(chunk.subarray(0, count));
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof MeshformError) throw error;
    throw new MeshformError(`cannot read ${name}: ${describeFileError(error)}`, { fix: 'Check the path and its permissions.' });
  } finally {
    if (descriptor !== 0) closeSync(descriptor);
  }
}

/** One read; a non-blocking standard input that has nothing yet is waited for, not an error. */
function readChunk(descriptor: number, chunk: Buffer): number {
  for (;;) {
    try {
      return readSync(descriptor, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function tooLarge(name: string, maxBytes: number): MeshformError {
  return new MeshformError(`${name} is larger than ${formatSize(maxBytes)}, the bound of one input`, {
    fix: 'Raise the bound with --max-input-size (for example 1G), or split the input.',
  });
}

function formatSize(bytes: number): string {
  const unit = (['G', 'M', 'K'] as const).find((u) => bytes >= UNITS[u]! && bytes % UNITS[u]! === 0);
  return unit ? `${bytes / UNITS[unit]!}${unit}` : `${bytes} bytes`;
}
