import { Command, CommanderError } from 'commander';
import { MeshformError } from '../core/index.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeCommand } from './analyze-command.js';
import { graphCommand } from './graph-command.js';
import { injectCommand } from './inject-command.js';
import { synthCommand } from './synth-command.js';
import { traceCommand } from './trace-command.js';
import { EXIT_OK, EXIT_UNREADABLE, type CliIo } from './io.js';
import { readStdin as readStandardInput, type StdinReader } from './read-input.js';

/** Runs the `meshform` command line with `args` (without node and script) and returns the exit code. */
export async function runCli(args: readonly string[], io: CliIo, readStdin: StdinReader = readStandardInput): Promise<number> {
  let exitCode = EXIT_OK;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  const program = new Command('meshform')
    .description('Istio configuration checks, request traces, sidecar injection and atomic synthesis, from the meshform library')
    .version(packageVersion(), '-v, --version', 'print the version of meshform')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addCommand(analyzeCommand(io, setExitCode, readStdin))
    .addCommand(injectCommand(io, setExitCode, readStdin))
    .addCommand(graphCommand(io, setExitCode, readStdin))
    .addCommand(traceCommand(io, setExitCode, readStdin))
    .addCommand(synthCommand(io, setExitCode));
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_UNREADABLE;
    if (error instanceof MeshformError) {
      io.stderr(`meshform: ${error.message}\n`);
      return EXIT_UNREADABLE;
    }
    // A fault of meshform itself: one line for the user, the stack only when asked for.
    io.stderr(`meshform: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
    if (process.env.MESHFORM_DEBUG) io.stderr(`${(error as Error)?.stack ?? ''}\n`);
    else io.stderr('meshform: run with MESHFORM_DEBUG=1 for details, and please report it.\n');
    return EXIT_UNREADABLE;
  }
}

/** The version in meshform's package.json, found from this file whether it runs compiled or not. */
function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'meshform') return manifest.version ?? 'unknown';
    } catch {
      // no package.json at this level: look further up
    }
  }
  return 'unknown';
}
