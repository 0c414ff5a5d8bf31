import { Command, Option } from 'commander';
import { graphAsDot, graphAsMermaid, routingGraph } from '../analysis/index.js';
import { EXIT_OK, EXIT_UNREADABLE, type CliIo } from './io.js';
import { readManifests, reportReadProblems } from './read-manifests.js';

/** `meshform graph`: the routing graph of manifests, for a picture of where traffic goes. */
export function graphCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('graph')
    .description('draw the routing graph (gateway → host → route → destination, with weights)')
    .argument('<paths...>', 'YAML or JSON files, or folders of them')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .option('-R, --recursive', 'read the sub-folders of folders too', false)
    .action((paths: string[], flags: { format: 'mermaid' | 'dot'; recursive: boolean }) => {
      const read = readManifests(paths, { recursive: flags.recursive });
      const unreadable = reportReadProblems(read, io);
      const graph = routingGraph(read.objects);
      io.stdout(flags.format === 'dot' ? graphAsDot(graph) : graphAsMermaid(graph));
      setExitCode(unreadable ? EXIT_UNREADABLE : EXIT_OK);
    });
}
