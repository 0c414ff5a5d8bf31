import { Command, CommanderError } from 'commander';
import { MeshformError } from '../core/index.js';
import { readFileSync } from 'node:fs';
import { analyzeCommand } from './analyze-command.js';
import { graphCommand } from './graph-command.js';
import { injectCommand } from './inject-command.js';
import { EXIT_OK, EXIT_UNREADABLE, type CliIo } from './io.js';

/** Runs the `meshform` command line with `args` (without node and script) and returns the exit code. */
export async function runCli(args: readonly string[], io: CliIo, readStdin: () => string = () => readFileSync(0, 'utf8')): Promise<number> {
  let exitCode = EXIT_OK;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  const program = new Command('meshform')
    .description('Istio configuration checks and sidecar injection, from the meshform library')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addCommand(analyzeCommand(io, setExitCode))
    .addCommand(injectCommand(io, setExitCode, readStdin))
    .addCommand(graphCommand(io, setExitCode));
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
    throw error;
  }
}
