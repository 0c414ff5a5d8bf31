import { loadSchemasFor } from '../../imports/schemas.js';
import { Command, Option } from 'commander';
import { parseMeshConfig, rootNamespaceOf } from '../core/index.js';
import { EXIT_OK, EXIT_UNREADABLE, type CliIo } from './io.js';
import { maxInputSizeOption, readText, type StdinReader } from './read-input.js';
import { readManifests, reportReadProblems } from './read-manifests.js';

interface GraphFlags {
  format: 'mermaid' | 'dot';
  recursive: boolean;
  edges: boolean;
  footprint: boolean;
  meshConfig?: string;
  maxInputSize: number;
}

/** `meshform graph`: the routing graph of manifests, the declared call graph, or the proxies' footprint. */
export function graphCommand(io: CliIo, setExitCode: (code: number) => void, readStdin?: StdinReader): Command {
  return new Command('graph')
    .description('draw the routing graph (gateway → host → route → destination, with weights), the call graph, or the proxy footprint')
    .argument('<paths...>', 'YAML or JSON files, or folders of them (- for standard input)')
    .addOption(new Option('--format <format>', 'output format of a graph').choices(['mermaid', 'dot']).default('mermaid'))
    .option('--edges', 'draw who may call whom (the ALLOW AuthorizationPolicies), not the routing', false)
    .option('--footprint', 'print, per meshed workload, the services and endpoints its proxy is sent, mesh-wide and as its Sidecar scopes it', false)
    .option('--mesh-config <file>', 'mesh config (for the root namespace)')
    .option('-R, --recursive', 'read the sub-folders of folders too', false)
    .addOption(maxInputSizeOption())
    .action(async (paths: string[], flags: GraphFlags) => {
      const read = readManifests(paths, { recursive: flags.recursive, readStdin, maxInputBytes: flags.maxInputSize });
      const unreadable = reportReadProblems(read, io);
      await loadSchemasFor(read.objects);
      if (flags.footprint) {
        const { footprintAsTable, proxyFootprint } = await import('../analysis/proxy-footprint.js');
        const meshConfig = flags.meshConfig ? parseMeshConfig(readText(flags.meshConfig, flags.maxInputSize), flags.meshConfig) : undefined;
        io.stdout(footprintAsTable(proxyFootprint(read.objects, rootNamespaceOf(meshConfig))));
      } else {
        const { graphAsDot, graphAsMermaid, routingGraph } = await import('../analysis/routing-graph.js');
        const { callGraph } = await import('../analysis/call-graph.js');
        const graph = flags.edges ? callGraph(read.objects) : routingGraph(read.objects);
        io.stdout(flags.format === 'dot' ? graphAsDot(graph, flags.edges ? 'calls' : 'routing') : graphAsMermaid(graph));
      }
      setExitCode(unreadable ? EXIT_UNREADABLE : EXIT_OK);
    });
}
