import { Command, Option } from 'commander';
import { analyze, type Level, levelRank, LEVELS } from '../analysis/index.js';
import { parseMeshConfig } from '../core/index.js';
import { diagnosticsAsJson, diagnosticsAsText } from './format-diagnostics.js';
import { type CliIo, EXIT_FINDINGS, EXIT_OK } from './io.js';
import { readManifests, readText } from './read-manifests.js';

interface AnalyzeFlags {
  readonly output: 'text' | 'json';
  readonly meshConfig?: string;
  readonly failureThreshold: Level;
  readonly outputThreshold: Level;
}

/** `meshform analyze`: istioctl analyze's checks and meshform's over YAML files and folders. */
export function analyzeCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('analyze')
    .description('check Kubernetes and Istio manifests the way istioctl analyze does, plus meshform checks')
    .argument('<paths...>', 'YAML or JSON files, or folders of them (multi-document files and kind: List too)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--mesh-config <file>', 'MeshConfig (or the istio ConfigMap) the cluster runs with')
    .addOption(new Option('--failure-threshold <level>', 'exit 79 when a finding is at or above this level').choices([...LEVELS]).default('Error'))
    .addOption(new Option('--output-threshold <level>', 'show findings at or above this level').choices([...LEVELS]).default('Info'))
    .action((paths: string[], flags: AnalyzeFlags) => {
      const objects = readManifests(paths);
      const meshConfig = flags.meshConfig ? parseMeshConfig(readText(flags.meshConfig), flags.meshConfig) : undefined;
      const diagnostics = analyze(objects, { meshConfig });
      const shown = diagnostics.filter((d) => levelRank(d.level) >= levelRank(flags.outputThreshold));
      io.stdout(flags.output === 'json' ? diagnosticsAsJson(shown) : diagnosticsAsText(shown, objects.length));
      const failed = diagnostics.some((d) => levelRank(d.level) >= levelRank(flags.failureThreshold));
      setExitCode(failed ? EXIT_FINDINGS : EXIT_OK);
    });
}
