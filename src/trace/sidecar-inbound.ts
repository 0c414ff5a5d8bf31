import { type KubeObject, type Labels, namespaceOf, originOf } from '../core/index.js';
import { KINDS } from '../analysis/resources/resource-index.js';
import { MeshInputs, type PortProtocol } from './mesh-inputs.js';
import type { NormalizedRequest } from './trace-request.js';
import type { TraceDecider, TraceError } from './trace-result.js';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** The mutual TLS a workload's sidecar accepts on one port, and the PeerAuthentication (and field) that set it. */
export interface PeerAuthenticationMode {
  readonly mode: MtlsMode;
  readonly decidedBy?: TraceDecider;
}

const modeOf = (value: unknown): MtlsMode | undefined => (value === 'STRICT' || value === 'PERMISSIVE' || value === 'DISABLE' ? value : undefined);

/**
 * The mTLS mode at a workload port (Istio's ComposePeerAuthentication): the oldest workload
 * policy of its namespace that selects it (its `portLevelMtls` keyed by the workload port), else
 * its namespace's policy, else the mesh's (root namespace, no selector), else PERMISSIVE. UNSET
 * inherits; root-namespace policies with a selector are ignored.
 */
export function peerAuthenticationMode(namespace: string, labels: Labels, port: number | undefined, inputs: MeshInputs): PeerAuthenticationMode {
  const policies = inputs.inCreationOrder(KINDS.PeerAuthentication);
  const hasSelector = (policy: KubeObject) => policy.spec?.selector?.matchLabels && Object.keys(policy.spec.selector.matchLabels).length > 0;
  const mesh = policies.find((policy) => namespaceOf(policy) === inputs.rootNamespace && !hasSelector(policy));
  const ns = policies.find((policy) => namespaceOf(policy) === namespace && !hasSelector(policy));
  const workload = namespace === inputs.rootNamespace ? undefined : policies.find((policy) => namespaceOf(policy) === namespace && hasSelector(policy) && MeshInputs.selects(policy, labels));
  let result: PeerAuthenticationMode = { mode: 'PERMISSIVE' };
  for (const policy of [mesh, ns, workload]) {
    const mode = modeOf(policy?.spec?.mtls?.mode);
    if (policy && mode) result = { mode, decidedBy: { origin: originOf(policy), field: 'spec.mtls.mode' } };
  }
  const portMode = port === undefined ? undefined : modeOf(workload?.spec?.portLevelMtls?.[String(port)]?.mode);
  if (workload && portMode) result = { mode: portMode, decidedBy: { origin: originOf(workload), field: `spec.portLevelMtls.${port}.mode` } };
  return result;
}

/** One filter chain of the sidecar's inbound listener (virtualInbound, 15006). */
interface InboundChain {
  readonly name: string;
  /** Unset for the passthrough chains that take every other port. */
  readonly destinationPort?: number;
  readonly transport: 'tls' | 'raw_buffer';
  readonly alpns?: readonly string[];
  readonly http: boolean;
  /** Terminates Istio mTLS (the workload certificate, a client certificate required). */
  readonly mtls: boolean;
  readonly cluster: string;
  readonly mode: PeerAuthenticationMode;
}

const MTLS_HTTP_ALPNS = ['istio-http/1.0', 'istio-http/1.1', 'istio-h2'];
const MTLS_TCP_ALPNS = ['istio-peer-exchange', 'istio'];
const PLAINTEXT_HTTP_ALPNS = ['http/1.0', 'http/1.1', 'h2c'];

type Option = Pick<InboundChain, 'transport' | 'http' | 'mtls'> & { alpns?: readonly string[] };

/** The chains Istio builds for one port protocol and mTLS mode (getFilterChainMatchOptions). */
function chainOptions(protocol: 'http' | 'tcp' | 'auto', mode: MtlsMode): Option[] {
  const tls = (http: boolean, alpns?: readonly string[]): Option => ({ transport: 'tls', http, mtls: true, ...(alpns ? { alpns } : {}) });
  const raw = (http: boolean, alpns?: readonly string[]): Option => ({ transport: 'raw_buffer', http, mtls: false, ...(alpns ? { alpns } : {}) });
  if (protocol === 'http') return mode === 'STRICT' ? [tls(true)] : mode === 'PERMISSIVE' ? [tls(true, [...MTLS_HTTP_ALPNS, ...MTLS_TCP_ALPNS]), raw(true)] : [raw(true)];
  if (protocol === 'auto') {
    if (mode === 'STRICT') return [tls(true, MTLS_HTTP_ALPNS), tls(false)];
    if (mode === 'PERMISSIVE') return [tls(true, MTLS_HTTP_ALPNS), raw(true, PLAINTEXT_HTTP_ALPNS), tls(false, MTLS_TCP_ALPNS), raw(false), { transport: 'tls', http: false, mtls: false }];
    return [raw(true, PLAINTEXT_HTTP_ALPNS), raw(false)];
  }
  if (mode === 'STRICT') return [tls(false)];
  if (mode === 'PERMISSIVE') return [tls(false, [...MTLS_HTTP_ALPNS, ...MTLS_TCP_ALPNS]), { transport: 'tls', http: false, mtls: false }, raw(false)];
  return [raw(false)];
}

const listenerProtocol = (protocol: PortProtocol): 'http' | 'tcp' | 'auto' => (protocol === 'http' ? 'http' : protocol === 'auto' ? 'auto' : 'tcp');

/** The inbound ports of a workload: its Sidecar's `ingress` listeners, else the target ports of the services it backs. */
export function inboundPorts(namespace: string, labels: Labels, ips: readonly string[], inputs: MeshInputs, sidecar?: KubeObject): { port: number; protocol: 'http' | 'tcp' | 'auto'; origin: string }[] {
  const ingress = Array.isArray(sidecar?.spec?.ingress) ? (sidecar!.spec.ingress as Record<string, any>[]) : [];
  if (ingress.length > 0) {
    return ingress.map((listener, index) => ({
      port: Number(listener.port?.number),
      protocol: listenerProtocol(protocolClass(listener.port?.protocol)),
      origin: `${originOf(sidecar!)} spec.ingress[${index}]`,
    }));
  }
  const ports = new Map<number, { port: number; protocol: 'http' | 'tcp' | 'auto'; origin: string }>();
  for (const target of inputs.targetsOf({ namespace, labels, ips })) {
    if (target.port.protocol === 'udp' || ports.has(target.targetPort)) continue;
    ports.set(target.targetPort, { port: target.targetPort, protocol: listenerProtocol(target.port.protocol), origin: `${originOf(target.service.object)} port ${target.port.number}` });
  }
  return [...ports.values()];
}

function protocolClass(protocol: unknown): PortProtocol {
  const value = String(protocol ?? '').toUpperCase();
  if (['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB'].includes(value)) return 'http';
  return value === '' ? 'auto' : 'tcp';
}

/** What the inbound listener makes of a request arriving at the pod. */
export interface InboundVerdict {
  readonly error: TraceError | null;
  readonly chain?: string;
  readonly cluster: string | null;
  readonly mode?: PeerAuthenticationMode;
  readonly http: boolean;
  readonly reason: string;
}

/**
 * Runs a request through the sidecar's inbound listener as Envoy picks a filter chain: by
 * destination port, then transport (TLS or not, seen only where Istio enables the TLS
 * inspector), then ALPN; the chain's TLS settings and codec then accept or refuse it.
 */
export function inboundVerdict(request: NormalizedRequest, inputs: MeshInputs, sidecar?: KubeObject): InboundVerdict {
  const { namespace, labels, ips } = request.proxy;
  const chains: InboundChain[] = [];
  const declared = inboundPorts(namespace, labels, ips, inputs, sidecar);
  for (const { port, protocol } of declared) {
    const mode = peerAuthenticationMode(namespace, labels, port, inputs);
    for (const option of chainOptions(protocol, mode.mode)) chains.push({ ...option, name: `0.0.0.0_${port}`, destinationPort: port, cluster: `inbound|${port}||`, mode });
  }
  // Ports no service declares pass through, under the workload's mode, or a port-level one.
  const portLevel = inputs
    .inCreationOrder(KINDS.PeerAuthentication)
    .filter((policy) => namespaceOf(policy) === namespace && policy.spec?.selector && MeshInputs.selects(policy, labels))
    .flatMap((policy) => Object.keys(policy.spec?.portLevelMtls ?? {}).map(Number));
  for (const port of new Set(portLevel)) {
    if (declared.some((entry) => entry.port === port)) continue;
    const mode = peerAuthenticationMode(namespace, labels, port, inputs);
    for (const option of chainOptions('auto', mode.mode)) chains.push({ ...option, name: `virtualInbound-${port}`, destinationPort: port, cluster: 'InboundPassthroughCluster', mode });
  }
  const workloadMode = peerAuthenticationMode(namespace, labels, undefined, inputs);
  for (const option of chainOptions('auto', workloadMode.mode)) chains.push({ ...option, name: 'virtualInbound', cluster: 'InboundPassthroughCluster', mode: workloadMode });

  let candidates = chains.filter((chain) => chain.destinationPort === request.port);
  if (candidates.length === 0) candidates = chains.filter((chain) => chain.destinationPort === undefined);
  // Istio turns the TLS inspector off where every chain is plaintext: TLS is then read as raw bytes.
  const tlsInspector = candidates.some((chain) => chain.transport === 'tls');
  const httpInspector = candidates.some((chain) => chain.alpns?.some((alpn) => PLAINTEXT_HTTP_ALPNS.includes(alpn)));
  const transport = tlsInspector && request.transport !== 'plaintext' ? 'tls' : 'raw_buffer';
  let alpn = tlsInspector ? request.alpn : '';
  if (httpInspector && request.transport === 'plaintext') alpn = request.application === 'http' ? 'http/1.1' : request.application === 'http2' ? 'h2c' : '';
  candidates = candidates.filter((chain) => chain.transport === transport);
  if (candidates.some((chain) => chain.alpns)) {
    const byAlpn = candidates.filter((chain) => chain.alpns?.includes(alpn));
    candidates = byAlpn.length > 0 ? byAlpn : candidates.filter((chain) => !chain.alpns);
  }
  if (candidates.length === 0) return { error: 'no filter chain', cluster: null, http: false, reason: `no filter chain of the inbound listener takes ${describeTransport(request)} on port ${request.port}` };
  if (candidates.length > 1) return { error: 'multiple filter chains', cluster: null, http: false, reason: `${candidates.length} filter chains match equally` };
  const chain = candidates[0]!;
  const base = { chain: chain.name, mode: chain.mode, http: chain.http };
  if (chain.mtls && request.transport === 'plaintext') return { ...base, error: 'tls', cluster: null, reason: 'the chain terminates TLS and the call is plaintext' };
  if (chain.mtls && request.transport !== 'mtls') return { ...base, error: 'mtls', cluster: null, reason: `the port is ${chain.mode.mode}: the chain requires Istio mutual TLS and the call is plain TLS` };
  if (chain.http && (request.transport !== 'plaintext') !== chain.mtls) return { ...base, error: 'protocol error', cluster: null, reason: 'TLS bytes reach a plaintext HTTP chain' };
  if (chain.http && request.application === 'tcp') return { ...base, error: 'protocol error', cluster: null, reason: 'opaque TCP bytes reach an HTTP chain' };
  return { ...base, error: null, cluster: chain.cluster, reason: `${chain.mode.mode} on port ${request.port}: the ${chain.http ? 'HTTP' : 'TCP'} chain ${chain.name} accepts ${describeTransport(request)}` };
}

function describeTransport(request: NormalizedRequest): string {
  return request.transport === 'mtls' ? `Istio mTLS (${request.application})` : request.transport === 'tls' ? 'TLS without a mesh certificate' : `plaintext ${request.application}`;
}
