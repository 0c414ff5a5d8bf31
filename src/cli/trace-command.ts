import { Command, Option } from 'commander';
import { type Labels, MeshformError, parseMeshConfig } from '../core/index.js';
import type { TraceMode, TraceProtocol, TraceRequest } from '../trace/index.js';
import { traceAsJson, traceAsMermaid, traceAsText } from './format-trace.js';
import { type CliIo, EXIT_OK, EXIT_UNREADABLE } from './io.js';
import { maxInputSizeOption, readText, type StdinReader } from './read-input.js';
import { readManifests, reportReadProblems } from './read-manifests.js';

interface TraceFlags {
  readonly output: 'text' | 'json' | 'mermaid';
  readonly header: string[];
  readonly request?: string;
  readonly method?: string;
  readonly from?: string;
  readonly meshConfig?: string;
  readonly recursive: boolean;
  readonly maxInputSize: number;
  readonly proxyKind?: 'gateway' | 'sidecar';
  readonly proxyNamespace?: string;
  readonly proxyLabels?: string;
  readonly proxyIp?: string;
  readonly mode?: TraceMode;
  readonly port?: string;
  readonly host?: string;
  readonly path?: string;
  readonly protocol?: TraceProtocol;
  readonly sni?: string;
  readonly alpn?: string;
  readonly address?: string;
  readonly mtls: boolean;
}

const repeat = (value: string, previous: string[]) => [...previous, value];

/** `name: value` (curl's form) or `name=value`. */
function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const equals = text.indexOf('=');
  const at = colon > 0 && (equals < 0 || colon < equals) ? colon : equals;
  if (at <= 0) throw new MeshformError(`the header "${text}" has no name`, { field: '--header', fix: "Write it as 'name: value' or name=value." });
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

function parseLabels(text: string | undefined): Labels {
  const labels: Record<string, string> = {};
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new MeshformError(`"${pair}" is not a label`, { field: '--proxy-labels', fix: 'Write labels as k=v,k2=v2.' });
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

/** The explicit request of the corpus's flags (`--proxy-kind … --port …`). */
function explicitRequest(flags: TraceFlags, headers: Record<string, string>): TraceRequest {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new MeshformError(`--port ${flags.port ?? ''} is not a port`, { field: '--port', fix: 'Give the destination port, 1–65535.' });
  const kind = flags.proxyKind ?? 'sidecar';
  return {
    proxy: { kind, namespace: flags.proxyNamespace ?? 'default', labels: parseLabels(flags.proxyLabels), ips: (flags.proxyIp ?? '').split(',').filter(Boolean) },
    mode: flags.mode ?? (kind === 'gateway' ? 'gateway' : 'outbound'),
    port,
    protocol: flags.protocol ?? 'http',
    headers,
    ...(flags.address ? { address: flags.address } : {}),
    ...(flags.host ? { host: flags.host } : {}),
    ...(flags.path ? { path: flags.path } : {}),
    ...((flags.method ?? flags.request) ? { method: flags.method ?? flags.request } : {}),
    ...(flags.sni ? { sni: flags.sni } : {}),
    ...(flags.alpn ? { alpn: flags.alpn } : {}),
    ...(flags.mtls ? { mtls: true } : {}),
  };
}

/** `meshform trace`: the hops one request takes through the mesh the manifests describe. */
export function traceCommand(io: CliIo, setExitCode: (code: number) => void, readStdin?: StdinReader): Command {
  return new Command('trace')
    .description('show where Istio would send one request, hop by hop, and why — from manifests alone')
    .argument('<args...>', 'YAML files or folders, then the URL (https://host/path, http://svc:port/path, tcp://host:port) unless --port is given')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'mermaid']).default('text'))
    .option('-H, --header <header>', "request header, 'name: value' or name=value; repeatable", repeat, [])
    .option('-X, --request <method>', 'HTTP method (GET)')
    .option('--from <workload>', 'the calling workload, "Kind namespace/name"; without it the request enters at the ingress gateway serving the host')
    .option('--mesh-config <file>', 'MeshConfig (or the istio ConfigMap) the cluster runs with')
    .option('-R, --recursive', 'read the sub-folders of folders too', false)
    .addOption(new Option('--proxy-kind <kind>', 'explicit form: the proxy the request enters').choices(['gateway', 'sidecar']))
    .option('--proxy-namespace <namespace>', "explicit form: the proxy pod's namespace")
    .option('--proxy-labels <labels>', "explicit form: the proxy pod's labels, k=v,k2=v2")
    .option('--proxy-ip <ips>', "explicit form: the proxy pod's IPs, comma-separated")
    .addOption(new Option('--mode <mode>', 'explicit form: where the request meets the proxy').choices(['gateway', 'outbound', 'inbound']))
    .option('--port <port>', 'explicit form: the destination port')
    .option('--host <host>', 'explicit form: the Host header')
    .option('--path <path>', 'explicit form: the path (/)')
    .option('--method <method>', 'explicit form: the HTTP method (GET)')
    .addOption(new Option('--protocol <protocol>', 'explicit form: what the client sends').choices(['http', 'http2', 'tcp', 'https', 'tls']))
    .option('--sni <sni>', 'TLS server name (the host)')
    .option('--alpn <alpn>', 'explicit form: the ALPN the client offers')
    .option('--address <ip>', 'explicit form: the destination IP (1.3.3.7, an address no service owns)')
    .option('--mtls', 'explicit form: the call is Istio mutual TLS', false)
    .addOption(maxInputSizeOption())
    .action(async (args: string[], flags: TraceFlags) => {
      const { createTracer } = await import('../trace/index.js');
      const explicit = flags.port !== undefined;
      const url = explicit ? undefined : args.at(-1);
      const paths = explicit ? args : args.slice(0, -1);
      if (!explicit && (!url || !url.includes('://'))) throw new MeshformError('no request to trace', { field: 'url', fix: 'End the command with a URL (meshform trace dist/ https://shop.example.com/), or give the explicit form with --port.' });
      if (paths.length === 0) throw new MeshformError('no files or folders to trace through', { fix: 'Name the YAML files or folders first, e.g. meshform trace dist/ https://shop.example.com/' });
      const meshConfig = flags.meshConfig ? parseMeshConfig(readText(flags.meshConfig, flags.maxInputSize), flags.meshConfig) : undefined;
      const read = readManifests(paths, { recursive: flags.recursive, readStdin, maxInputBytes: flags.maxInputSize, allowRepeatedKeys: true });
      const unreadable = reportReadProblems(read, io);
      const headers = Object.fromEntries(flags.header.map(parseHeader));
      const tracer = createTracer(read.objects, meshConfig ? { meshConfig } : {});
      const result = explicit
        ? tracer.trace(explicitRequest(flags, headers))
        : tracer.traceUrl({ url: url!, ...(flags.from ? { from: flags.from } : {}), ...(flags.request ? { method: flags.request } : {}), headers, ...(flags.sni ? { sni: flags.sni } : {}) });
      io.stdout(flags.output === 'json' ? traceAsJson(result) : flags.output === 'mermaid' ? traceAsMermaid(result) : traceAsText(result));
      setExitCode(unreadable ? EXIT_UNREADABLE : EXIT_OK);
    });
}
