import { Command, Option } from 'commander';
import { callGraph, footprintAsTable, graphAsDot, graphAsMermaid, proxyFootprint, routingGraph } from '../analysis/index.js';
import { parseMeshConfig, rootNamespaceOf } from '../core/index.js';
import { EXIT_OK, EXIT_UNREADABLE, type CliIo } from './io.js';
import { readManifests, readText, reportReadProblems } from './read-manifests.js';

interface GraphFlags {
  format: 'mermaid' | 'dot';
  recursive: boolean;
  edges: boolean;
  footprint: boolean;
  meshConfig?: string;
}

/** `meshform graph`: the routing graph of manifests, the declared call graph, or the proxies' footprint. */
export function graphCommand(io: CliIo, setExitCode: (code: number) => void, readStdin?: () => string): Command {
  return new Command('graph')
    .description('draw the routing graph (gateway → host → route → destination, with weights), the call graph, or the proxy footprint')
    .argument('<paths...>', 'YAML or JSON files, or folders of them (- for standard input)')
    .addOption(new Option('--format <format>', 'output format of a graph').choices(['mermaid', 'dot']).default('mermaid'))
    .option('--edges', 'draw who may call whom (the ALLOW AuthorizationPolicies), not the routing', false)
    .option('--footprint', 'print, per meshed workload, the services and endpoints its proxy is sent, mesh-wide and as its Sidecar scopes it', false)
    .option('--mesh-config <file>', 'mesh config (for the root namespace)')
    .option('-R, --recursive', 'read the sub-folders of folders too', false)
    .action((paths: string[], flags: GraphFlags) => {
      const read = readManifests(paths, { recursive: flags.recursive, readStdin });
      const unreadable = reportReadProblems(read, io);
      if (flags.footprint) {
        const meshConfig = flags.meshConfig ? parseMeshConfig(readText(flags.meshConfig), flags.meshConfig) : undefined;
        io.stdout(footprintAsTable(proxyFootprint(read.objects, rootNamespaceOf(meshConfig))));
      } else {
        const graph = flags.edges ? callGraph(read.objects) : routingGraph(read.objects);
        io.stdout(flags.format === 'dot' ? graphAsDot(graph, flags.edges ? 'calls' : 'routing') : graphAsMermaid(graph));
      }
      setExitCode(unreadable ? EXIT_UNREADABLE : EXIT_OK);
    });
}
