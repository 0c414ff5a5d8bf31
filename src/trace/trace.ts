import { type KubeObject, type MeshConfig, originOf, wildcardCovers } from '../core/index.js';
import { isHttpProtocol, isPassthrough, isTlsServer, gatewayRouteTable, gatewaysFor, gatewayTcpCluster, type GatewayServer, mergeGateways, unboundVirtualServices } from './gateway-proxy.js';
import { type CatalogService, MeshInputs } from './mesh-inputs.js';
import { describeConditions, type EnvoyRoute, firstMatchingRoute, type RouteTable, selectVirtualHost, type WeightedCluster } from './route-table.js';
import { inboundVerdict } from './sidecar-inbound.js';
import { importsService, type SidecarScope, sidecarRouteTable, sidecarScopeOf, sidecarVirtualServices, vsHosts } from './sidecar-outbound.js';
import { requestFromUrl, type UrlRequest } from './request-from-url.js';
import { normalizeRequest, type NormalizedRequest, type TraceRequest } from './trace-request.js';
import { type TraceHop, TraceRecorder, type TraceResult } from './trace-result.js';
import { passthroughOutcome, upstreamHops } from './upstream.js';
import { authorize } from './authorization.js';
import { tcpRouteClusters, virtualServiceRoutes } from './virtual-service-routes.js';

export interface TraceOptions {
  /** @default - Istio's default MeshConfig */
  readonly meshConfig?: MeshConfig;
}

/**
 * Where Istio would send one request, hop by hop, from manifests alone: the listener and filter
 * chain, the route table, virtual host and route, the cluster, and past the proxy the
 * DestinationRule, endpoints, mTLS and authorization at the destination.
 */
export function traceRequest(objects: readonly KubeObject[], request: TraceRequest, options: TraceOptions = {}): TraceResult {
  return traceWith(new MeshInputs(objects, options.meshConfig), request);
}

/** Traces many requests over one set of manifests, indexed once. */
export interface Tracer {
  /** A request in the explicit form. */
  trace(request: TraceRequest): TraceResult;
  /** A request as a URL, from a workload or entering at the ingress gateway that serves its host. */
  traceUrl(request: UrlRequest): TraceResult;
}

export function createTracer(objects: readonly KubeObject[], options: TraceOptions = {}): Tracer {
  const inputs = new MeshInputs(objects, options.meshConfig);
  return {
    trace: (request) => traceWith(inputs, request),
    traceUrl: (request) => {
      const built = requestFromUrl(inputs, request);
      const result = traceWith(inputs, built.request);
      return { ...result, notes: [...built.notes, ...result.notes] };
    },
  };
}

/** As traceRequest, over inputs indexed once. */
export function traceWith(inputs: MeshInputs, request: TraceRequest): TraceResult {
  const normalized = normalizeRequest(request);
  const trail = new TraceRecorder();
  if (normalized.mode === 'inbound') return traceInbound(normalized, inputs, trail);
  if (normalized.proxy.kind === 'gateway') return traceGateway(normalized, inputs, trail);
  return traceOutbound(normalized, inputs, trail);
}

function traceGateway(request: NormalizedRequest, inputs: MeshInputs, trail: TraceRecorder): TraceResult {
  const { proxy } = request;
  const targets = inputs.targetsOf(proxy);
  const merged = mergeGateways(gatewaysFor(proxy.labels, targets, inputs));
  for (const { server, reason } of merged.rejected) trail.notes.push(`Gateway ${server.gatewayName} server ${server.index} is dropped: ${reason}`);
  const servers = merged.byPort.get(request.port);
  if (!servers || servers.length === 0) return trail.fail('no listener', 'refused', `no Gateway server of this gateway pod listens on port ${request.port}`);
  let chosen: GatewayServer;
  if (!isTlsServer(servers[0]!)) {
    chosen = servers[0]!;
    if (!isHttpProtocol(chosen.protocol)) {
      const found = gatewayTcpCluster(chosen, proxy.namespace, '', inputs);
      if (!found) return trail.fail('no listener', 'refused', `the ${chosen.protocol} server on port ${request.port} has no VirtualService tcp route, so Istio builds no listener`);
      trail.names.listener = `0.0.0.0_${request.port}`;
      trail.hop('listener', trail.names.listener, `Gateway ${chosen.gatewayName} server ${chosen.index} (${chosen.protocol})`, { origin: originOf(chosen.gateway), field: `spec.servers[${chosen.index}]` });
      return forward(found.clusters, { origin: originOf(found.vs), field: found.field }, request, inputs, trail);
    }
  } else {
    const candidates = rankBySni(servers.filter((server) => !isPassthrough(server) || gatewayTcpCluster(server, proxy.namespace, request.sni, inputs)), request.sni);
    if (candidates.length === 0) return trail.fail('no filter chain', 'reset', `no TLS server on port ${request.port} takes SNI "${request.sni}"`);
    if (candidates.length > 1) return trail.fail('multiple filter chains', 'reset', `${candidates.length} TLS servers on port ${request.port} match SNI "${request.sni}" equally`);
    chosen = candidates[0]!;
  }
  trail.names.listener = `0.0.0.0_${request.port}`;
  trail.hop('listener', trail.names.listener, `Gateway ${chosen.gatewayName} server ${chosen.index}: ${chosen.protocol} ${chosen.hosts.join(', ')}`, { origin: originOf(chosen.gateway), field: `spec.servers[${chosen.index}]` });
  const tlsMode = chosen.server.tls?.mode ? String(chosen.server.tls.mode) : undefined;
  if (isTlsServer(chosen) || (tlsMode && chosen.protocol === 'HTTPS')) {
    if (isPassthrough(chosen)) {
      const found = gatewayTcpCluster(chosen, proxy.namespace, request.sni, inputs)!;
      return forward(found.clusters, { origin: originOf(found.vs), field: found.field }, request, inputs, trail);
    }
    if (request.transport === 'plaintext') return trail.fail('tls', 'reset', `server ${chosen.index} of Gateway ${chosen.gatewayName} terminates TLS and the call is plaintext`);
    if ((tlsMode === 'ISTIO_MUTUAL') !== (request.transport === 'mtls')) return trail.fail('mtls', 'reset', `the server's TLS mode is ${tlsMode ?? 'SIMPLE'} and the call is ${request.transport === 'mtls' ? 'Istio mTLS' : 'plain TLS'}`);
    if (!chosen.routeName) {
      const found = gatewayTcpCluster({ ...chosen, server: { ...chosen.server, tls: undefined } }, proxy.namespace, '', inputs);
      if (!found) return trail.fail('no filter chain', 'reset', 'no VirtualService tcp route for the TLS-terminating server');
      return forward(found.clusters, { origin: originOf(found.vs), field: found.field }, request, inputs, trail);
    }
  } else if (request.transport !== 'plaintext') {
    return trail.fail('protocol error', 'reset', `TLS bytes reach the plaintext ${chosen.protocol} server on port ${request.port}`);
  }
  if (request.application === 'tcp') return trail.fail('protocol error', 'reset', 'opaque TCP bytes reach an HTTP server');
  // The gateway's own policies (JWT required, IP allow lists) decide before any route.
  const denial = authorize(request, inputs, proxy, trail.hops);
  if (denial) return trail.end(null, '403', denial, 'rbac');
  const table = gatewayRouteTable(chosen.routeName!, merged, proxy.namespace, inputs);
  const served = merged.byRouteName.get(chosen.routeName!) ?? [];
  const vhost = selectVirtualHost(table, request.host);
  if (!vhost || vhost.routes.length === 0) for (const gateway of new Set(served.map((server) => server.gatewayName))) trail.notes.push(...unboundVirtualServices(request.host, gateway, inputs));
  return routeHttp(table, request, inputs, trail);
}

/** TLS servers ranked as Envoy ranks filter chains by SNI: an exact name, else the longest wildcard, else a server for any SNI. */
function rankBySni(servers: readonly GatewayServer[], sni: string): GatewayServer[] {
  let best = 0;
  let ranked: GatewayServer[] = [];
  for (const server of servers) {
    const names = server.hosts.map((entry) => entry.slice(entry.indexOf('/') + 1)).filter((host) => host !== '*');
    if (names.length === 0) continue;
    let rank = 0;
    for (const name of names) rank = Math.max(rank, name.toLowerCase() === sni.toLowerCase() ? Number.MAX_SAFE_INTEGER : sni && wildcardCovers(name, sni) ? name.length : 0);
    if (rank > best) [best, ranked] = [rank, [server]];
    else if (rank === best && rank > 0) ranked.push(server);
  }
  if (ranked.length > 0) return ranked;
  return servers.filter((server) => server.hosts.every((entry) => entry.slice(entry.indexOf('/') + 1) === '*'));
}

function routeHttp(table: RouteTable, request: NormalizedRequest, inputs: MeshInputs, trail: TraceRecorder): TraceResult {
  trail.names.routeConfig = table.name;
  trail.hop('route table', table.name, `${table.virtualHosts.length} virtual host(s)`);
  const vhost = selectVirtualHost(table, request.host);
  if (!vhost) return trail.fail('no virtual host', '404', `no virtual host of route table ${table.name} has a domain for "${request.host}"`, 'NR');
  trail.names.virtualHost = vhost.name;
  if (vhost.ambiguity) trail.notes.push(vhost.ambiguity);
  trail.hop('virtual host', vhost.name, `"${request.host}" matches domain(s) ${vhost.domains.slice(0, 4).join(', ')}${vhost.domains.length > 4 ? ', …' : ''}`, vhost.decidedBy);
  if (vhost.requireTls && request.transport === 'plaintext') return trail.fail('tls redirect', '301', 'the Gateway server sets tls.httpsRedirect: plaintext is redirected to HTTPS');
  const { route, skipped } = firstMatchingRoute(vhost, request);
  for (const { route: passed, because } of skipped) trail.hop('route skipped', passed.name ?? passed.decidedBy?.field ?? 'route', because, passed.decidedBy);
  if (!route) return trail.fail('no route', '404', vhost.routes.length === 0 ? `virtual host ${vhost.name} has no routes` : `no route of virtual host ${vhost.name} matches ${request.method} ${request.path}`, 'NR');
  if (route.name) trail.names.route = route.name;
  trail.hop('route', route.name ?? route.decidedBy?.field ?? 'route', route.conditions ? `the first route that matches: ${describeConditions(route.conditions)}` : 'a route for every request', route.decidedBy);
  return actOn(route, request, inputs, trail);
}

function actOn(route: EnvoyRoute, request: NormalizedRequest, inputs: MeshInputs, trail: TraceRecorder): TraceResult {
  const action = route.action;
  switch (action.kind) {
    case 'redirect':
      return trail.end(null, String(action.status), `redirected to ${action.location || 'the same URL on another scheme'}`);
    case 'direct':
      return trail.end(null, String(action.status), `the proxy answers ${action.status} itself`);
    case 'passthrough':
      trail.hop('cluster', action.cluster, 'no virtual host for this host: outside the mesh, without VirtualService or DestinationRule');
      if (action.cluster === 'PassthroughCluster') return passthroughOutcome(action.cluster, request, inputs, trail);
      return trail.end(action.cluster, 'passthrough', `sent to the host "${request.host}" resolves to`);
    case 'none':
      return trail.end(null, '404', action.reason, null, 'NR');
    case 'forward':
      if (action.policy) trail.hop('route policy', action.policy, 'applied by the route', route.decidedBy);
      return forward(action.clusters, route.decidedBy, request, inputs, trail);
  }
}

function forward(clusters: readonly WeightedCluster[], decidedBy: TraceHop['decidedBy'], request: NormalizedRequest, inputs: MeshInputs, trail: TraceRecorder): TraceResult {
  if (clusters.length === 0) return trail.end(null, '503', 'every destination has weight 0', null, 'NC');
  const heaviest = [...clusters].sort((a, b) => b.weight - a.weight)[0]!;
  const shares = clusters.length > 1 ? clusters.map((cluster) => `${cluster.cluster} ${cluster.weight}%`).join(', ') : 'all traffic';
  trail.hop('cluster', heaviest.cluster, clusters.length > 1 ? `weighted: ${shares}` : shares, decidedBy);
  return upstreamHops(heaviest, request, inputs, trail);
}

function traceOutbound(request: NormalizedRequest, inputs: MeshInputs, trail: TraceRecorder): TraceResult {
  const { proxy } = request;
  const scope = sidecarScopeOf(proxy.namespace, proxy.labels, inputs);
  if (scope.sidecar) trail.hop('sidecar scope', originOf(scope.sidecar), `egress hosts ${scope.egressHosts.join(', ')}`, { origin: originOf(scope.sidecar), field: 'spec.egress' });
  const services = inputs.services.filter((service) => inputs.visible(service, proxy.namespace) && importsService(scope, service, proxy.namespace) && !service.aliasOf);
  const onPort = services.filter((service) => service.ports.some((port) => port.number === request.port));
  const byAddress = addressChain(onPort, request);
  if (byAddress) {
    const { service, protocol } = byAddress;
    trail.names.listener = `${byAddress.address}_${request.port}`;
    trail.hop('listener', trail.names.listener, `${originOf(service.object)}: ${service.hostname} port ${request.port} (${protocol}) owns ${request.address}`, { origin: originOf(service.object) });
    if (protocol === 'auto' && request.transport === 'plaintext' && request.application !== 'tcp') {
      return routeHttp(sniffedRouteTable(service, request, scope, inputs), request, inputs, trail);
    }
    return tcpForward(service, request, scope, inputs, trail);
  }
  const http = onPort.some((service) => service.ports.some((port) => port.number === request.port && port.protocol === 'http'));
  if (http) {
    trail.names.listener = `0.0.0.0_${request.port}`;
    trail.hop('listener', trail.names.listener, `the outbound HTTP listener of port ${request.port}`);
    if (request.transport === 'plaintext' && request.application !== 'tcp') return routeHttp(sidecarRouteTable(request.port, proxy.namespace, proxy.labels, scope, inputs), request, inputs, trail);
    return unmatched(scope, request, inputs, trail, 'the bytes are not plaintext HTTP');
  }
  const sniChain = onPort.find((service) => service.addresses.length === 0 && service.ports.some((port) => port.number === request.port && port.protocol !== 'http') && (request.sni ? wildcardCovers(service.hostname, request.sni) : service.ports.some((port) => port.number === request.port && port.protocol === 'tcp')));
  if (sniChain) {
    trail.names.listener = `0.0.0.0_${request.port}`;
    trail.hop('listener', trail.names.listener, `${sniChain.hostname} has no address: matched by ${request.sni ? `SNI "${request.sni}"` : 'port'}`, { origin: originOf(sniChain.object) });
    return tcpForward(sniChain, request, scope, inputs, trail);
  }
  trail.names.listener = 'virtualOutbound';
  return unmatched(scope, request, inputs, trail, `no service the proxy sees listens on ${request.address}:${request.port}`);
}

function unmatched(scope: SidecarScope, request: NormalizedRequest, inputs: MeshInputs, trail: TraceRecorder, why: string): TraceResult {
  const decidedBy = scope.sidecar ? { origin: originOf(scope.sidecar), field: 'spec.outboundTrafficPolicy' } : undefined;
  if (scope.outboundPolicy === 'REGISTRY_ONLY') {
    trail.hop('outbound policy', 'BlackHoleCluster', `${why}; the outbound traffic policy is REGISTRY_ONLY`, decidedBy);
    return trail.end('BlackHoleCluster', 'reset', 'REGISTRY_ONLY: traffic to hosts outside the registry is dropped');
  }
  if (scope.outboundPolicy === 'ALLOW_ANY_DYNAMIC_DNS' && request.transport === 'plaintext' && request.application !== 'tcp') {
    trail.hop('outbound policy', 'AllowAnyDynamicDNSCluster', `${why}; ALLOW_ANY_DYNAMIC_DNS sends plaintext HTTP through the dynamic forward proxy`, decidedBy);
    return trail.end('AllowAnyDynamicDNSCluster', 'passthrough', `resolved from the Host header "${request.host}" and sent there`);
  }
  trail.hop('outbound policy', 'PassthroughCluster', `${why}; the outbound traffic policy is ${scope.outboundPolicy}`, decidedBy);
  return passthroughOutcome('PassthroughCluster', request, inputs, trail);
}

/** The service whose address (a VIP, or the longest CIDR) holds the dialled IP on a non-HTTP port. */
function addressChain(services: readonly CatalogService[], request: NormalizedRequest): { service: CatalogService; protocol: string; address: string } | undefined {
  let best: { service: CatalogService; protocol: string; address: string; bits: number } | undefined;
  for (const service of services) {
    const port = service.ports.find((candidate) => candidate.number === request.port);
    if (!port || port.protocol === 'http' || port.protocol === 'udp') continue;
    for (const address of service.addresses) {
      const bits = prefixContains(address, request.address);
      if (bits !== undefined && (!best || bits > best.bits)) best = { service, protocol: port.protocol, address: address.split('/')[0]!, bits };
    }
  }
  return best;
}

/** The length of the prefix `cidr` (an IP or CIDR) when it holds `ip`, else undefined. */
export function prefixContains(cidr: string, ip: string): number | undefined {
  const [base, length] = cidr.split('/') as [string, string | undefined];
  const a = ipBits(base);
  const b = ipBits(ip);
  if (!a || !b || a.width !== b.width) return undefined;
  const bits = length === undefined ? a.width : Number(length);
  if (!(bits >= 0 && bits <= a.width)) return undefined;
  const shift = BigInt(a.width - bits);
  return a.value >> shift === b.value >> shift ? bits : undefined;
}

function ipBits(text: string): { value: bigint; width: number } | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((part) => part > 255)) return undefined;
    return { value: parts.reduce((sum, part) => (sum << 8n) | BigInt(part), 0n), width: 32 };
  }
  if (!text.includes(':')) return undefined;
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8 || groups.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return { value: groups.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n), width: 128 };
}

/** The route table of a sniffed (auto) port on a VIP: that one service, whatever the Host header says. */
function sniffedRouteTable(service: CatalogService, request: NormalizedRequest, scope: SidecarScope, inputs: MeshInputs): RouteTable {
  const { proxy } = request;
  const owner = sidecarVirtualServices(proxy.namespace, scope, inputs).find((vs) => vsHosts(vs).some((host) => host === service.hostname)) ??
    sidecarVirtualServices(proxy.namespace, scope, inputs).find((vs) => vsHosts(vs).some((host) => host.startsWith('*') && wildcardCovers(host, service.hostname)));
  const routes = owner ? virtualServiceRoutes(owner, { port: request.port, gateway: 'mesh', clientNamespace: proxy.namespace, clientLabels: proxy.labels }, inputs) : [];
  const cluster = `outbound|${request.port}||${service.hostname}`;
  return {
    name: `${service.hostname}:${request.port}`,
    virtualHosts: [
      {
        name: `${service.hostname}:${request.port}`,
        domains: ['*'],
        routes: routes.length > 0 ? routes : [{ name: 'default', action: { kind: 'forward', clusters: [{ cluster, host: service.hostname, port: request.port, subset: '', weight: 100 }] } }],
        decidedBy: { origin: originOf(owner ?? service.object) },
      },
    ],
  };
}

function tcpForward(service: CatalogService, request: NormalizedRequest, scope: SidecarScope, inputs: MeshInputs, trail: TraceRecorder): TraceResult {
  const { proxy } = request;
  for (const vs of sidecarVirtualServices(proxy.namespace, scope, inputs)) {
    if (!vsHosts(vs).some((host) => wildcardCovers(host, service.hostname))) continue;
    const passthrough = service.ports.some((port) => port.number === request.port && port.protocol === 'tls');
    const found = tcpRouteClusters(vs, { port: request.port, gateway: 'mesh', sni: request.sni, passthrough }, inputs);
    if (found) return forward(found.clusters, { origin: originOf(found.vs), field: found.field }, request, inputs, trail);
  }
  const cluster = `outbound|${request.port}||${service.hostname}`;
  return forward([{ cluster, host: service.hostname, port: request.port, subset: '', weight: 100 }], { origin: originOf(service.object) }, request, inputs, trail);
}

/** The caller's identity as the sidecar sees it: a SPIFFE principal, on mTLS calls only. */
function peerOf(request: NormalizedRequest): { principal?: string; namespace?: string } {
  if (request.transport !== 'mtls' || !request.principal) return {};
  const principal = request.principal.replace(/^spiffe:\/\//, '');
  const namespace = /\/ns\/([^/]+)\//.exec(principal)?.[1];
  return { principal, ...(namespace ? { namespace } : {}) };
}

function traceInbound(request: NormalizedRequest, inputs: MeshInputs, trail: TraceRecorder): TraceResult {
  const scope = sidecarScopeOf(request.proxy.namespace, request.proxy.labels, inputs);
  trail.names.listener = 'virtualInbound';
  trail.hop('listener', 'virtualInbound', `the request arrives at the pod on port ${request.port}; iptables hands it to the sidecar's inbound listener (15006)`);
  const verdict = inboundVerdict(request, inputs, scope.sidecar);
  if (verdict.chain) trail.names.filterChain = verdict.chain;
  if (verdict.mode) trail.hop('mTLS', verdict.mode.mode, verdict.reason, verdict.mode.decidedBy);
  if (verdict.error) return trail.fail(verdict.error, 'reset', verdict.reason);
  trail.hop('filter chain', verdict.chain ?? '', verdict.reason);
  const denial = authorize(request, inputs, request.proxy, trail.hops, peerOf(request));
  if (denial) return trail.end(verdict.cluster, '403', denial, 'rbac');
  trail.hop('cluster', verdict.cluster!, verdict.cluster === 'InboundPassthroughCluster' ? 'no service declares this port: passed to the application as addressed' : 'the application, on the port it listens on');
  return trail.end(verdict.cluster, 'routed', 'delivered to the application');
}

