import { loadSchemasFor } from '../../imports/schemas.js';
import { Command, InvalidArgumentError } from 'commander';
import { stringify } from 'yaml';
import { flattenLists, parseDocuments, parseMeshConfig, parseYamlMap } from '../core/index.js';
import type { InjectionValuesOverride } from '../injection/index.js';
import { type CliIo, EXIT_OK, writeOutput } from './io.js';
import { maxInputSizeOption, readStdin as readStandardInput, readText, type StdinReader } from './read-input.js';

interface InjectFlags {
  readonly filename: string;
  readonly output?: string;
  readonly meshConfig?: string;
  readonly values?: string;
  readonly nativeSidecars: boolean;
  readonly maxInputSize: number;
}

function parseBoolean(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('use true or false.');
}

/** `meshform inject`: what `istioctl kube-inject -f FILE` writes, computed offline. */
export function injectCommand(io: CliIo, setExitCode: (code: number) => void, readStdin: StdinReader = readStandardInput): Command {
  return new Command('inject')
    .description('add the Istio sidecar to the workloads of a manifest, as istioctl kube-inject does')
    .requiredOption('-f, --filename <file>', 'manifest to inject (- for standard input)')
    .option('-o, --output <file>', 'write the result here instead of standard output: a new file, or a regular file replaced whole (keeping its mode); links, devices and FIFOs are refused')
    .option('--mesh-config <file>', 'MeshConfig (or the istio ConfigMap) the cluster runs with')
    .option('--values <file>', 'Helm values of the injector (hub, tag, global.proxy.*, …)')
    .option('--native-sidecars <boolean>', 'istio-proxy as a native sidecar (init container); false for the classic layout', parseBoolean, true)
    .addOption(maxInputSizeOption())
    .action(async (flags: InjectFlags) => {
      const { injectObjects } = await import('../injection/inject-manifests.js');
      const text = flags.filename === '-' ? readStdin(flags.maxInputSize) : readText(flags.filename, flags.maxInputSize);
      // Documents as written: a List stays a List, as kube-inject keeps it.
      const objects = parseDocuments(text, flags.filename);
      await loadSchemasFor(flattenLists(objects));
      const injected = injectObjects(objects, {
        nativeSidecars: flags.nativeSidecars,
        meshConfig: flags.meshConfig ? parseMeshConfig(readText(flags.meshConfig, flags.maxInputSize), flags.meshConfig) : undefined,
        values: flags.values ? parseValues(readText(flags.values, flags.maxInputSize), flags.values) : undefined,
      });
      const yaml = injected.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
      if (flags.output) writeOutput(flags.output, yaml);
      else io.stdout(yaml);
      setExitCode(EXIT_OK);
    });
}

function parseValues(text: string, source: string): InjectionValuesOverride {
  return parseYamlMap(text, source, { what: 'a map of Helm values', example: 'global: { hub: docker.io/istio, tag: 1.29.0 }' }) as InjectionValuesOverride;
}
