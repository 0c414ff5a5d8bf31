import { Command, Option } from 'commander';
import { graphAsDot, graphAsMermaid, routingGraph } from '../analysis/index.js';
import { EXIT_OK, type CliIo } from './io.js';
import { readManifests } from './read-manifests.js';

/** `meshform graph`: the routing graph of manifests, for a picture of where traffic goes. */
export function graphCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('graph')
    .description('draw the routing graph (gateway → host → route → destination, with weights)')
    .argument('<paths...>', 'YAML or JSON files, or folders of them')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .action((paths: string[], flags: { format: 'mermaid' | 'dot' }) => {
      const graph = routingGraph(readManifests(paths));
      io.stdout(flags.format === 'dot' ? graphAsDot(graph) : graphAsMermaid(graph));
      setExitCode(EXIT_OK);
    });
}
