import { loadSchemasFor } from '../../imports/schemas.js';
import { Command, Option } from 'commander';
import type { AnalyzerInfo } from '../analysis/analyze.js';
import { type Level, levelRank, LEVELS } from '../analysis/diagnostic.js';
import { MeshformError, parseMeshConfig, parseMeshNetworks } from '../core/index.js';
import { diagnosticsAsJson, diagnosticsAsText } from './format-diagnostics.js';
import { type CliIo, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE } from './io.js';
import { maxInputSizeOption, readText, type StdinReader } from './read-input.js';
import { readManifests, reportReadProblems } from './read-manifests.js';

interface AnalyzeFlags {
  readonly output: 'text' | 'json';
  readonly meshConfig?: string;
  readonly meshNetworks?: string;
  readonly failureThreshold: Level;
  readonly outputThreshold: Level;
  readonly suppress: string[];
  readonly exclude: string[];
  readonly recursive: boolean;
  readonly listAnalyzers: boolean;
  readonly maxInputSize: number;
}

const repeat = (value: string, previous: string[]) => [...previous, value];

/** `meshform analyze`: istioctl analyze's checks and meshform's over YAML files and folders. */
export function analyzeCommand(io: CliIo, setExitCode: (code: number) => void, readStdin?: StdinReader): Command {
  return new Command('analyze')
    .description('check Kubernetes and Istio manifests the way istioctl analyze does, plus meshform checks')
    .argument('[paths...]', 'YAML or JSON files, or folders of them (multi-document files and kind: List too; - for standard input)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--mesh-config <file>', 'MeshConfig (or the istio ConfigMap) the cluster runs with')
    .option('--mesh-networks <file>', 'MeshNetworks (or the istio ConfigMap with meshNetworks) of a multi-network mesh')
    .addOption(new Option('--failure-threshold <level>', 'exit 79 when a finding is at or above this level').choices([...LEVELS]).default('Error'))
    .addOption(new Option('--output-threshold <level>', 'show findings at or above this level').choices([...LEVELS]).default('Info'))
    .option('-S, --suppress <rule>', 'leave out a finding: CODE=Kind namespace/name (or istioctl\'s CODE=Kind name.namespace), * as a wildcard; repeatable', repeat, [])
    .option('--exclude <analyzer>', 'skip an analyzer (as synth skips gateway.SecretAnalyzer); repeatable', repeat, [])
    .option('-R, --recursive', 'read the sub-folders of folders too', false)
    .option('--list-analyzers', 'list every analyzer, the codes it reports and whose rules it follows, then exit', false)
    .addOption(maxInputSizeOption())
    .action(async (paths: string[], flags: AnalyzeFlags) => {
      // The analyzers (and the schemas they load) only when this command runs: start-up is part of every run.
      const { analyze, listAnalyzers } = await import('../analysis/analyze.js');
      const { DEFAULT_INGRESS_GATEWAY } = await import('../analysis/resources/default-resources.js');
      if (flags.listAnalyzers) {
        io.stdout(analyzerList(listAnalyzers(), flags.output));
        setExitCode(EXIT_OK);
        return;
      }
      if (paths.length === 0) throw new MeshformError('no files or folders to analyze', { fix: 'Name YAML files or folders, for example: meshform analyze dist/' });
      const meshConfig = flags.meshConfig ? parseMeshConfig(readText(flags.meshConfig, flags.maxInputSize), flags.meshConfig) : undefined;
      const meshNetworks = flags.meshNetworks ? parseMeshNetworks(readText(flags.meshNetworks, flags.maxInputSize), flags.meshNetworks) : undefined;
      const read = readManifests(paths, { recursive: flags.recursive, readStdin, maxInputBytes: flags.maxInputSize });
      const unreadable = reportReadProblems(read, io);
      if (read.objects.length === 0) {
        io.stderr('meshform: nothing to analyze: the input holds no Kubernetes objects\n');
        setExitCode(EXIT_UNREADABLE);
        return;
      }
      // The schemas of the kinds in the input only, and of the ingress gateway istioctl assumes.
      await loadSchemasFor([...read.objects, ...DEFAULT_INGRESS_GATEWAY]);
      const diagnostics = analyze(read.objects, { meshConfig, meshNetworks, suppress: flags.suppress, exclude: flags.exclude, sourceOf: (object) => read.sources.get(object) });
      const shown = diagnostics.filter((d) => levelRank(d.level) >= levelRank(flags.outputThreshold));
      io.stdout(flags.output === 'json' ? diagnosticsAsJson(shown) : diagnosticsAsText(shown, read.objects.length));
      const failed = diagnostics.some((d) => levelRank(d.level) >= levelRank(flags.failureThreshold));
      setExitCode(unreadable ? EXIT_UNREADABLE : failed ? EXIT_FINDINGS : EXIT_OK);
    });
}

function analyzerList(analyzers: readonly AnalyzerInfo[], format: 'text' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(analyzers, null, 2)}\n`;
  const width = Math.max(...analyzers.map((a) => a.name.length));
  const lines = analyzers.map((a) => `${a.name.padEnd(width)}  ${a.codes.join(',').padEnd(40)}  ${a.goFile ? `Istio's ${a.goFile}` : 'meshform'}`);
  return `${lines.join('\n')}\n`;
}
