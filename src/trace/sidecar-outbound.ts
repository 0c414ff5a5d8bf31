import { type KubeObject, type Labels, namespaceOf, originOf, parseServiceHost, resolveHost, wildcardCovers } from '../core/index.js';
import { orderedByName } from '../analysis/resources/creation-order.js';
import { ROUTE_SEMANTICS_ANNOTATION } from '../analysis/resources/kubernetes-ingress.js';
import { KINDS } from '../analysis/resources/resource-index.js';
import { boundGateways, virtualServiceRoutes } from './virtual-service-routes.js';
import { type CatalogService, exportedTo, exportToOf, MeshInputs, privateFirst } from './mesh-inputs.js';
import type { EnvoyRoute, RouteTable, VirtualHost } from './route-table.js';

/** What a Sidecar resource (or the default) lets one workload's proxy see. */
export interface SidecarScope {
  readonly sidecar?: KubeObject;
  /** `ns/host` egress hosts; `*\/*` without a Sidecar. */
  readonly egressHosts: readonly string[];
  /** ALLOW_ANY_DYNAMIC_DNS: like ALLOW_ANY, but plaintext HTTP to unknown hosts goes through Envoy's dynamic forward proxy. */
  readonly outboundPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY' | 'ALLOW_ANY_DYNAMIC_DNS';
}

/**
 * The Sidecar that applies to a workload: the oldest of its namespace whose workloadSelector
 * selects it, else its namespace's selector-less one, else the root namespace's (Istio's
 * doGetSidecarScope).
 */
export function sidecarScopeOf(namespace: string, labels: Labels, inputs: MeshInputs): SidecarScope {
  const sidecars = inputs.inCreationOrder(KINDS.Sidecar);
  const own = sidecars.filter((sidecar) => namespaceOf(sidecar) === namespace);
  const sidecar =
    own.find((candidate) => candidate.spec?.workloadSelector && MeshInputs.selects(candidate, labels)) ??
    own.find((candidate) => !candidate.spec?.workloadSelector) ??
    sidecars.find((candidate) => namespaceOf(candidate) === inputs.rootNamespace && !candidate.spec?.workloadSelector);
  const meshMode = String((inputs.meshConfig.outboundTrafficPolicy as { mode?: string } | undefined)?.mode ?? 'ALLOW_ANY');
  const sidecarMode = sidecar?.spec?.outboundTrafficPolicy?.mode;
  const mode = String(sidecarMode ?? meshMode);
  const egress = Array.isArray(sidecar?.spec?.egress) ? (sidecar!.spec.egress as { hosts?: unknown[] }[]) : [];
  const hosts = sidecar ? egress.flatMap((listener) => (Array.isArray(listener.hosts) ? listener.hosts.map(String) : [])) : ['*/*'];
  return { ...(sidecar ? { sidecar } : {}), egressHosts: hosts, outboundPolicy: mode === 'REGISTRY_ONLY' || mode === 'ALLOW_ANY_DYNAMIC_DNS' ? mode : 'ALLOW_ANY' };
}

/** Splits `ns/host` (`.` = the workload's namespace, `*` = any). */
function egressEntry(entry: string, workloadNamespace: string): { namespace: string; host: string } {
  const slash = entry.indexOf('/');
  const ns = slash < 0 ? '*' : entry.slice(0, slash);
  return { namespace: ns === '.' ? workloadNamespace : ns, host: slash < 0 ? entry : entry.slice(slash + 1) };
}

export function importsService(scope: SidecarScope, service: CatalogService, workloadNamespace: string): boolean {
  return scope.egressHosts.some((entry) => {
    const { namespace, host } = egressEntry(entry, workloadNamespace);
    return (namespace === '*' || namespace === service.namespace) && wildcardCovers(host, service.hostname);
  });
}

function importsVirtualService(scope: SidecarScope, vs: KubeObject, workloadNamespace: string): boolean {
  const hosts = vsHosts(vs);
  return scope.egressHosts.some((entry) => {
    const { namespace, host } = egressEntry(entry, workloadNamespace);
    return (namespace === '*' || namespace === namespaceOf(vs)) && hosts.some((vsHost) => wildcardCovers(host, vsHost) || wildcardCovers(vsHost, host));
  });
}

const hostsOf = new WeakMap<KubeObject, string[]>();

/** A VirtualService's hosts, short names made FQDNs in its namespace. */
export function vsHosts(vs: KubeObject): string[] {
  const known = hostsOf.get(vs);
  if (known) return known;
  const hosts: string[] = (Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []).map((host: unknown) => resolveHost(String(host), namespaceOf(vs)).toLowerCase());
  hostsOf.set(vs, hosts);
  return hosts;
}

/** The mesh VirtualServices a workload's proxy imports, in Istio's order: private to its namespace, then the rest, each oldest first. */
export function sidecarVirtualServices(namespace: string, scope: SidecarScope, inputs: MeshInputs): KubeObject[] {
  const visible = inputs
    .inCreationOrder(KINDS.VirtualService)
    .filter((vs) => boundGateways(vs).includes('mesh') && exportedTo(exportToOf(vs), namespaceOf(vs), namespace) && importsVirtualService(scope, vs, namespace));
  return privateFirst(visible, namespace);
}

/** The host names a service's virtual host answers to from a workload in `namespace` (Istio's generateVirtualHostDomains). */
function serviceDomains(service: CatalogService, namespace: string, aliases: readonly CatalogService[]): string[] {
  const domains: string[] = [];
  for (const each of [service, ...aliases]) {
    domains.push(each.hostname);
    const parsed = parseServiceHost(each.hostname);
    if (parsed && each.object.kind === 'Service') {
      if (parsed.namespace === namespace) domains.push(parsed.name);
      domains.push(`${parsed.name}.${parsed.namespace}`, `${parsed.name}.${parsed.namespace}.svc`);
    }
  }
  for (const address of service.addresses) if (!address.includes('/')) domains.push(address);
  return domains;
}

/**
 * The route table `<port>` of a sidecar's outbound HTTP listener on `port`, as Istio's
 * BuildSidecarOutboundVirtualHosts: virtual hosts of the VirtualServices it imports (each
 * service's host owned by the first VirtualService with that exact host, else by the most
 * specific wildcard), then one per remaining service, each domain kept by the first that has it,
 * and the catch-all for every other host.
 */
export function sidecarRouteTable(port: number, namespace: string, labels: Labels, scope: SidecarScope, inputs: MeshInputs): RouteTable {
  const services = inputs.services
    .filter((service) => inputs.visible(service, namespace) && importsService(scope, service, namespace))
    .filter((service) => service.ports.some((p) => p.number === port && (p.protocol === 'http' || p.protocol === 'auto')) || service.aliasOf)
    .sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
  const byHost = new Map<string, CatalogService>();
  for (const service of services) if (!byHost.has(service.hostname) && !service.aliasOf) byHost.set(service.hostname, inputs.service(service.hostname, namespace) ?? service);
  const aliases = (target: string) => services.filter((service) => service.aliasOf === target);
  let virtualServices = sidecarVirtualServices(namespace, scope, inputs);
  // Off port 80, a VirtualService none of whose hosts is a service on this port is dropped.
  if (port !== 80) {
    const names = [...byHost.keys()];
    const onPort = (host: string) => (host.startsWith('*') ? names.some((name) => wildcardCovers(host, name)) : byHost.has(host));
    virtualServices = virtualServices.filter((vs) => vsHosts(vs).some(onPort));
  }
  const owner = ownerIndex(virtualServices, [...byHost.keys()]);
  // Every VirtualService that names each exact host, in order: who else could have owned it.
  const claimants = new Map<string, KubeObject[]>();
  for (const vs of virtualServices) for (const host of vsHosts(vs)) if (!host.startsWith('*')) claimants.set(host, [...(claimants.get(host) ?? []), vs]);

  const vhosts: VirtualHost[] = [];
  const usedNames = new Set<string>();
  const usedDomains = new Set<string>();
  const add = (name: string, domains: readonly string[], routes: EnvoyRoute[], decidedBy?: string, ambiguity?: string) => {
    if (usedNames.has(name)) return;
    usedNames.add(name);
    const kept = domains.filter((domain) => !usedDomains.has(domain.toLowerCase()));
    for (const domain of kept) usedDomains.add(domain.toLowerCase());
    if (kept.length > 0) vhosts.push({ name, domains: kept, routes, ...(decidedBy ? { decidedBy: { origin: decidedBy } } : {}), ...(ambiguity ? { ambiguity } : {}) });
  };
  const covered = new Set<string>();
  for (const vs of virtualServices) {
    const routes = virtualServiceRoutes(vs, { port, gateway: 'mesh', clientNamespace: namespace, clientLabels: labels }, inputs);
    if (routes.length === 0) continue;
    const matched: CatalogService[] = [];
    const others: string[] = [];
    // A route on a Service (Gateway API) binds producers' routes everywhere, consumers' only in their own namespace.
    const gatewaySemantics = vs.metadata?.annotations?.[ROUTE_SEMANTICS_ANNOTATION] === 'gateway';
    for (const host of vsHosts(vs)) {
      if (gatewaySemantics) {
        const service = byHost.get(host);
        if (service && (service.namespace === namespaceOf(vs) || namespace === namespaceOf(vs))) matched.push(service);
        else if (!service) others.push(host);
        continue;
      }
      if (host.startsWith('*')) {
        const hits = [...byHost.values()].filter((service) => wildcardCovers(host, service.hostname));
        matched.push(...hits.filter((service) => owner.get(service.hostname) === vs));
        if (hits.length === 0) others.push(host);
      } else if (byHost.has(host)) matched.push(byHost.get(host)!);
      else others.push(host);
    }
    if (matched.length === 0 && port !== 80) continue;
    for (const host of others) add(`${host}:${port}`, [host], routes, originOf(vs));
    for (const service of matched) {
      covered.add(service.hostname);
      const rivals = claimants.get(service.hostname) ?? [];
      const ambiguity = orderedByName(rivals)
        ? `${rivals.map(originOf).join(', ')} all name ${service.hostname}; sidecars take the first, and without creationTimestamps Istio's tie-break (name, then namespace) makes that ${originOf(rivals[0]!)} — a cluster takes the one created first.`
        : undefined;
      add(`${service.hostname}:${port}`, serviceDomains(service, namespace, aliases(service.hostname)), routes, originOf(vs), ambiguity);
    }
  }
  for (const service of byHost.values()) {
    if (covered.has(service.hostname)) continue;
    const cluster = `outbound|${port}||${service.hostname}`;
    add(`${service.hostname}:${port}`, serviceDomains(service, namespace, aliases(service.hostname)), [
      { name: 'default', action: { kind: 'forward', clusters: [{ cluster, host: service.hostname, port, subset: '', weight: 100 }] }, decidedBy: { origin: originOf(service.object) } },
    ]);
  }
  vhosts.push(catchAllVirtualHost(scope));
  return { name: String(port), virtualHosts: vhosts };
}

/** Which VirtualService owns each service host: the first with that exact host, else the most specific wildcard, else the first of equal ones. */
function ownerIndex(virtualServices: readonly KubeObject[], hosts: readonly string[]): Map<string, KubeObject> {
  const exact = new Map<string, KubeObject>();
  const wildcard = new Map<string, KubeObject>();
  for (const vs of virtualServices) {
    for (const host of vsHosts(vs)) {
      const index = host.startsWith('*') ? wildcard : exact;
      if (!index.has(host)) index.set(host, vs);
    }
  }
  const owners = new Map<string, KubeObject>();
  for (const host of hosts) {
    const direct = exact.get(host);
    if (direct) {
      owners.set(host, direct);
      continue;
    }
    let best: string | undefined;
    for (const pattern of wildcard.keys()) if (wildcardCovers(pattern, host) && (!best || pattern.length > best.length)) best = pattern;
    if (best) owners.set(host, wildcard.get(best)!);
  }
  return owners;
}

/** The last virtual host of a sidecar's HTTP route table: passthrough under ALLOW_ANY, a 502 under REGISTRY_ONLY. */
function catchAllVirtualHost(scope: SidecarScope): VirtualHost {
  const decidedBy = scope.sidecar ? { origin: originOf(scope.sidecar), field: 'spec.outboundTrafficPolicy' } : undefined;
  if (scope.outboundPolicy === 'ALLOW_ANY_DYNAMIC_DNS') {
    return { name: 'allow_any_dynamic_dns', domains: ['*'], routes: [{ name: 'allow_any_dynamic_dns', action: { kind: 'passthrough', cluster: 'AllowAnyDynamicDNSCluster' }, ...(decidedBy ? { decidedBy } : {}) }] };
  }
  return scope.outboundPolicy === 'REGISTRY_ONLY'
    ? { name: 'block_all', domains: ['*'], routes: [{ name: 'block_all', action: { kind: 'direct', status: 502 }, ...(decidedBy ? { decidedBy } : {}) }] }
    : { name: 'allow_any', domains: ['*'], routes: [{ name: 'allow_any', action: { kind: 'passthrough', cluster: 'PassthroughCluster' }, ...(decidedBy ? { decidedBy } : {}) }] };
}
