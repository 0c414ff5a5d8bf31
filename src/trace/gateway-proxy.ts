import { type KubeObject, type Labels, nameOf, namespaceOf, originOf, selectorMatches, wildcardCovers } from '../core/index.js';
import { orderedByName } from '../analysis/resources/creation-order.js';
import { KINDS } from '../analysis/resources/resource-index.js';
import { exportedTo, exportToOf, type MeshInputs, privateFirst, type ServiceTarget } from './mesh-inputs.js';
import { type EnvoyRoute, isCatchAll, type RouteTable, type VirtualHost } from './route-table.js';
import { boundGateways, tcpRouteClusters, virtualServiceRoutes } from './virtual-service-routes.js';

/** One Gateway server as merged onto a listener port. */
export interface GatewayServer {
  readonly gateway: KubeObject;
  /** `ns/name`. */
  readonly gatewayName: string;
  readonly index: number;
  readonly server: Record<string, any>;
  /** The port the gateway pod listens on: the server port, translated through the gateway's Service. */
  readonly listenerPort: number;
  readonly protocol: string;
  /** Hosts with `./` made the Gateway's namespace. */
  readonly hosts: readonly string[];
  /** The HTTP route table it serves, when it terminates HTTP. */
  readonly routeName?: string;
}

/** What Istio's mergeGateways leaves of the Gateways that select one gateway pod. */
export interface MergedGateway {
  /** Servers by listener port, in merge order. */
  readonly byPort: ReadonlyMap<number, readonly GatewayServer[]>;
  readonly byRouteName: ReadonlyMap<string, readonly GatewayServer[]>;
  /** Servers Istio drops, with the reason (a port already taken by another protocol, a TLS host claimed). */
  readonly rejected: readonly { readonly server: GatewayServer; readonly reason: string }[];
}

const HTTP_PROTOCOLS = ['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY'];
export const isHttpProtocol = (protocol: string) => HTTP_PROTOCOLS.includes(protocol.toUpperCase());
/** A server whose traffic is TLS on the wire (Istio's IsTLSServer). */
export const isTlsServer = (server: GatewayServer) => server.server.tls !== undefined && server.server.tls !== null && !isHttpProtocol(server.protocol);
export const isPassthrough = (server: GatewayServer) => ['PASSTHROUGH', 'AUTO_PASSTHROUGH'].includes(String(server.server.tls?.mode ?? ''));

/** The Gateways that apply to a gateway pod, each with the service targets that translate its ports. */
export function gatewaysFor(labels: Labels, targets: readonly ServiceTarget[], inputs: MeshInputs): { gateway: KubeObject; legacy: boolean; targets: readonly ServiceTarget[] }[] {
  const applied = [];
  for (const gateway of inputs.inCreationOrder(KINDS.Gateway)) {
    const services = gateway.metadata?.annotations?.['internal.istio.io/gateway-service'];
    if (typeof services === 'string') {
      const known = new Set(services.split(','));
      const matching = targets.filter((target) => known.has(target.service.hostname) && target.service.namespace === namespaceOf(gateway));
      if (matching.length > 0) applied.push({ gateway, legacy: false, targets: matching });
    } else if (!gateway.spec?.selector || selectorMatches(gateway.spec.selector as Labels, labels)) {
      applied.push({ gateway, legacy: true, targets });
    }
  }
  return applied;
}

/** Istio's resolvePorts: a server port is a gateway Service port, listened on at its target port. */
function resolvePorts(number: number, targets: readonly ServiceTarget[], legacy: boolean): number[] {
  const ports = new Set<number>();
  for (const target of targets) {
    if (legacy && target.service.object.metadata?.labels?.['experimental.istio.io/disable-gateway-port-translation'] !== undefined) continue;
    if (target.port.number === number) {
      if (legacy) return [target.targetPort];
      ports.add(target.targetPort);
    }
  }
  return ports.size === 0 && legacy ? [number] : [...ports];
}

function routeNameOf(server: Record<string, any>, listenerPort: number, gateway: KubeObject, protocol: string): string | undefined {
  const bind = server.bind ? `.${server.bind}` : '';
  if (isHttpProtocol(protocol)) return `http.${listenerPort}${bind}`;
  if (protocol === 'HTTPS' && !['PASSTHROUGH', 'AUTO_PASSTHROUGH'].includes(String(server.tls?.mode ?? ''))) {
    return `https.${server.port?.number}.${server.port?.name}.${nameOf(gateway)}.${namespaceOf(gateway)}${bind}`;
  }
  return undefined;
}

/** Merges the servers of the Gateways for one pod, as Istio's mergeGateways. */
export function mergeGateways(applied: ReturnType<typeof gatewaysFor>): MergedGateway {
  const byPort = new Map<number, GatewayServer[]>();
  const byRouteName = new Map<string, GatewayServer[]>();
  const rejected: { server: GatewayServer; reason: string }[] = [];
  const plaintextProtocol = new Map<number, string>();
  const tlsHosts = new Map<number, Set<string>>();
  for (const { gateway, legacy, targets } of applied) {
    const servers = Array.isArray(gateway.spec?.servers) ? (gateway.spec.servers as Record<string, any>[]) : [];
    servers.forEach((server, index) => {
      if (!server?.port) return;
      const protocol = String(server.port.protocol ?? '').toUpperCase();
      const hosts = (Array.isArray(server.hosts) ? server.hosts : []).map((host: unknown) => String(host).replace(/^\.\//, `${namespaceOf(gateway)}/`));
      for (const listenerPort of resolvePorts(Number(server.port.number), targets, legacy)) {
        const routeName = routeNameOf(server, listenerPort, gateway, protocol);
        const merged: GatewayServer = { gateway, gatewayName: `${namespaceOf(gateway)}/${nameOf(gateway)}`, index, server, listenerPort, protocol, hosts, ...(routeName ? { routeName } : {}) };
        if (server.tls) {
          const known = tlsHosts.get(listenerPort) ?? new Set<string>();
          tlsHosts.set(listenerPort, known);
          const duplicate = hosts.filter((host: string) => known.has(host));
          if (duplicate.length > 0) {
            rejected.push({ server: merged, reason: `a server on port ${listenerPort} already claims ${duplicate.join(', ')}` });
            continue;
          }
          for (const host of hosts) known.add(host);
        }
        const existing = byPort.get(listenerPort);
        if (existing) {
          const current = plaintextProtocol.get(listenerPort);
          if (current !== undefined) {
            // Once a plaintext server holds the port, only more plaintext HTTP may join it.
            if (!((isHttpProtocol(protocol) || protocol === current) && isHttpProtocol(current))) {
              rejected.push({ server: merged, reason: `port ${listenerPort} is already served as ${current} by ${existing[0]!.gatewayName}${orderedByName([existing[0]!.gateway, gateway]) ? " (the first by Istio's tie-break, name then namespace, as neither has a creationTimestamp; a cluster may order them otherwise)" : ''}` });
              continue;
            }
          } else if (routeName && isHttpProtocol(protocol) === false && byRouteName.has(routeName)) {
            rejected.push({ server: merged, reason: `the HTTPS port name is not unique on port ${listenerPort}` });
            continue;
          }
          existing.push(merged);
        } else {
          byPort.set(listenerPort, [merged]);
          if (!isTlsServer(merged)) plaintextProtocol.set(listenerPort, protocol);
        }
        if (routeName && (isHttpProtocol(protocol) || protocol === 'HTTPS')) {
          const list = byRouteName.get(routeName) ?? [];
          list.push(merged);
          byRouteName.set(routeName, list);
        }
      }
    });
  }
  return { byPort, byRouteName, rejected };
}

/** `ns/host` server hosts as a VirtualService in `namespace` may use them (Istio's NamesForNamespace). */
function serverHostsFor(hosts: readonly string[], namespace: string): string[] {
  return hosts.flatMap((entry) => {
    const slash = entry.indexOf('/');
    if (slash < 0) return [entry];
    const ns = entry.slice(0, slash);
    return ns === '*' || ns === namespace ? [entry.slice(slash + 1)] : [];
  });
}

/** Hosts both lists can name, keeping the more specific of each pair (Istio's Names.Intersection). */
export function intersectHosts(a: readonly string[], b: readonly string[]): string[] {
  const out = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      if (wildcardCovers(y, x)) out.add(x.toLowerCase());
      else if (wildcardCovers(x, y)) out.add(y.toLowerCase());
    }
  }
  return [...out];
}


/** The VirtualServices a gateway pod in `proxyNamespace` sees bound to `gatewayName`, in Istio's order. */
export function virtualServicesForGateway(gatewayName: string, proxyNamespace: string, inputs: MeshInputs): KubeObject[] {
  const bound = inputs
    .inCreationOrder(KINDS.VirtualService)
    .filter((vs) => boundGateways(vs).includes(gatewayName) && exportedTo(exportToOf(vs), namespaceOf(vs), proxyNamespace));
  return privateFirst(bound, proxyNamespace);
}


/** The route table `routeName` of a gateway pod, as Istio's buildGatewayHTTPRouteConfig. */
export function gatewayRouteTable(routeName: string, merged: MergedGateway, proxyNamespace: string, inputs: MeshInputs): RouteTable {
  const servers = merged.byRouteName.get(routeName) ?? [];
  const vhosts = new Map<string, { name: string; routes: EnvoyRoute[]; requireTls: boolean; origin?: string; sources: KubeObject[] }>();
  for (const server of servers) {
    const port = Number(server.server.port.number);
    const redirect = server.server.tls?.httpsRedirect === true;
    for (const vs of virtualServicesForGateway(server.gatewayName, proxyNamespace, inputs)) {
      const vsHosts = (Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []).map(String);
      const hosts = intersectHosts(serverHostsFor(server.hosts, namespaceOf(vs)), vsHosts);
      if (hosts.length === 0) continue;
      const routes = virtualServiceRoutes(vs, { port, gateway: server.gatewayName, clientNamespace: proxyNamespace, clientLabels: {} }, inputs);
      for (const host of hosts) {
        const vhost = vhosts.get(host);
        if (vhost) {
          vhost.routes.push(...routes);
          vhost.requireTls ||= redirect;
          vhost.sources.push(vs);
        } else {
          vhosts.set(host, { name: `${host}:${port}`, routes: [...routes], requireTls: redirect, origin: originOf(vs), sources: [vs] });
        }
      }
    }
    if (redirect) {
      for (const host of server.hosts.map((entry) => entry.slice(entry.indexOf('/') + 1).toLowerCase())) {
        const vhost = vhosts.get(host);
        if (vhost) vhost.requireTls = true;
        else vhosts.set(host, { name: `${host}:${port}`, routes: [], requireTls: true, sources: [] });
      }
    }
  }
  if (vhosts.size === 0) {
    const port = Number(servers[0]?.server.port.number ?? 0);
    return { name: routeName, virtualHosts: [{ name: `blackhole:${port}`, domains: ['*'], routes: [] }] };
  }
  const virtualHosts: VirtualHost[] = [...vhosts].map(([host, vhost]) => ({
    name: vhost.name,
    domains: [host],
    // Routes of all VirtualServices for a host are appended, then catch-alls go last (SortVHostRoutes).
    routes: [...vhost.routes.filter((route) => !isCatchAll(route)), ...vhost.routes.filter(isCatchAll)],
    ...(vhost.requireTls ? { requireTls: true } : {}),
    ...(vhost.origin ? { decidedBy: { origin: vhost.origin } } : {}),
    ...(orderedByName(vhost.sources) ? { ambiguity: `The routes of ${vhost.sources.map(originOf).join(', ')} are joined for ${host} oldest first; without creationTimestamps Istio's tie-break (name, then namespace) sets this order — a cluster orders them by when they were created.` } : {}),
  }));
  return { name: routeName, virtualHosts };
}

/** The cluster a gateway's TCP or TLS-passthrough server sends a connection to, from the first VirtualService rule that matches. */
export function gatewayTcpCluster(server: GatewayServer, proxyNamespace: string, sni: string, inputs: MeshInputs) {
  for (const vs of virtualServicesForGateway(server.gatewayName, proxyNamespace, inputs)) {
    const vsHosts = (Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []).map(String);
    if (intersectHosts(serverHostsFor(server.hosts, namespaceOf(vs)), vsHosts).length === 0) continue;
    const found = tcpRouteClusters(vs, { port: Number(server.server.port.number), gateway: server.gatewayName, sni, passthrough: isPassthrough(server) }, inputs);
    if (found) return found;
  }
  return undefined;
}

/** VirtualServices that serve a host but bind to other gateways: why a gateway has no route for it. */
export function unboundVirtualServices(host: string, gatewayName: string, inputs: MeshInputs): string[] {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return inputs
    .inCreationOrder(KINDS.VirtualService)
    .filter((vs) => !boundGateways(vs).includes(gatewayName) && (Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []).some((entry: unknown) => wildcardCovers(String(entry), name)))
    .map((vs) => `${originOf(vs)} serves ${name} but binds to ${boundGateways(vs).join(', ')}, not to Gateway ${gatewayName} (spec.gateways).`);
}
