import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { MeshformError, parseYamlMap } from '../core/index.js';
import { type CliIo, EXIT_OK } from './io.js';

interface SynthFlags {
  readonly app?: string;
  readonly output: string;
}

/** The app command of cdk8s.yaml (`app: npx tsx main.ts`), which `cdk8s synth` runs too. */
function appFromConfig(): string {
  if (!existsSync('cdk8s.yaml')) throw new MeshformError('there is no cdk8s.yaml here naming the app', { fix: 'Run it where cdk8s.yaml is, or give --app "<command>".' });
  const config = parseYamlMap(readFileSync('cdk8s.yaml', 'utf8'), 'cdk8s.yaml', { what: 'a cdk8s config', example: 'app: npx tsx main.ts' });
  if (typeof config['app'] !== 'string' || config['app'].trim() === '') throw new MeshformError('cdk8s.yaml names no app', { fix: 'Add app: "<command that synthesizes>".' });
  return config['app'];
}

/**
 * Synthesizes into a fresh folder beside the output and puts it in place only when the whole
 * synth succeeded: a failed or killed synth leaves the previous output as it was, and no file
 * that was cut short is ever in the output folder (cdk8s synth empties it before the app runs).
 */
export function synthCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('synth')
    .description('run the cdk8s app and replace the output folder only when the synth succeeded')
    .option('--app <command>', 'the command that synthesizes (default: app of cdk8s.yaml)')
    .option('-o, --output <folder>', 'the output folder', 'dist')
    .action((flags: SynthFlags) => {
      const app = flags.app ?? appFromConfig();
      const output = resolve(flags.output);
      const staging = mkdtempSync(join(dirname(output), `.${basename(output)}.synth-`));
      // The app writes where cdk8s tells it to: App's outdir defaults to CDK8S_OUTDIR.
      const run = spawnSync(app, { shell: true, stdio: 'inherit', env: { ...process.env, CDK8S_OUTDIR: staging } });
      if (run.status !== 0) {
        rmSync(staging, { recursive: true, force: true });
        io.stderr(`meshform: the synth failed (${run.signal ? `signal ${run.signal}` : `exit ${run.status}`}); ${existsSync(output) ? `${flags.output} is as it was` : `nothing was written`}\n`);
        setExitCode(run.status ?? 1);
        return;
      }
      // Swap in one rename each; the old output goes only after the new one is in place.
      const previous = existsSync(output) ? `${staging}.previous` : undefined;
      if (previous) renameSync(output, previous);
      renameSync(staging, output);
      if (previous) rmSync(previous, { recursive: true, force: true });
      io.stdout(`${readdirSync(output).sort().map((file) => `  - ${join(flags.output, file)}`).join('\n')}\n`);
      setExitCode(EXIT_OK);
    });
}
