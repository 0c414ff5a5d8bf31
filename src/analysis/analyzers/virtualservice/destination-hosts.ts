// Follows Istio's pkg/config/analysis/analyzers/virtualservice/destinationhosts.go.
import type { AnalysisContext, Analyzer } from '../../context.js';
import { appendTo, type KubeObject, namespaceOf } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';
import { ServiceRegistry } from '../../resources/service-registry.js';
import { mirrorDestinations, type RouteDestination, routeDestinations } from '../../resources/virtual-service.js';

/**
 * Every destination must name a host the mesh knows where the VirtualService is visible (IST0101), with a port it has (IST0101 host:port) or a port at all when it has
 * several (IST0112). A gateway route without subset to a host the mesh splits by subset ignores
 * that split (IST0140).
 */
export const destinationHostAnalyzer: Analyzer = {
  name: 'virtualservice.DestinationHostAnalyzer',
  codes: ['IST0101', 'IST0112', 'IST0140'],
  goFile: 'virtualservice/destinationhosts.go',
  analyze(context) {
    const registry = new ServiceRegistry(context.index);
    const virtualServices = context.index.ofKind(KINDS.VirtualService);
    // Which VirtualServices split each host by subset: looked up per gateway route, not scanned.
    const splittersOf = new Map<unknown, string[]>();
    for (const [splitting, hosts] of subsetRoutedHosts(virtualServices)) for (const host of hosts) appendTo(splittersOf, host, splitting);
    for (const vs of virtualServices) {
      for (const destination of routeDestinations(vs)) checkDestination(context, registry, vs, destination, 'host');
      for (const destination of mirrorDestinations(vs)) checkDestination(context, registry, vs, destination, 'mirror host');
      checkIngressSubsets(context, vs, splittersOf);
    }
  },
};

function checkDestination(context: AnalysisContext, registry: ServiceRegistry, vs: KubeObject, { destination, path }: RouteDestination, what: 'host' | 'mirror host'): void {
  const host = String(destination.host ?? '');
  const exportTo: string[] = Array.isArray(vs.spec?.exportTo) ? vs.spec.exportTo.map(String) : [];
  const entry = registry.destination(host, namespaceOf(vs), exportTo);
  if (!entry) {
    context.report('ReferencedResourceNotFound', vs, [what, host], `${path}.host`);
    return;
  }
  const port = destination.port?.number;
  if (port === undefined) {
    if (entry.ports.length > 1) {
      context.report('VirtualServiceDestinationPortSelectorRequired', vs, [host, entry.ports.map((p) => p.number)], path);
    }
    return;
  }
  if (!entry.ports.some((p) => Number(p.number) === Number(port))) {
    context.report('ReferencedResourceNotFound', vs, ['host:port', `${host}:${port}`], `${path}.port`);
  }
}

/**
 * Per VirtualService (`namespace/name`), the hosts it routes by subset among its own hosts, as
 * initVirtualServiceDestinations collects them.
 */
function subsetRoutedHosts(virtualServices: readonly KubeObject[]): Map<string, Set<string>> {
  const hosts = new Map<string, Set<string>>();
  for (const vs of virtualServices) {
    const own: unknown[] = Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : [];
    for (const route of vs.spec?.http ?? []) {
      for (const weighted of route?.route ?? []) {
        const destination = weighted?.destination;
        if (!destination?.subset || !own.includes(destination.host)) continue;
        const name = `${namespaceOf(vs)}/${vs.metadata?.name}`;
        hosts.set(name, (hosts.get(name) ?? new Set()).add(destination.host));
      }
    }
  }
  return hosts;
}

/** A gateway route without subset to a host some VirtualService splits by subset: that split does not apply to it (IST0140). */
function checkIngressSubsets(context: AnalysisContext, vs: KubeObject, splittersOf: ReadonlyMap<unknown, readonly string[]>): void {
  if ((vs.spec?.gateways ?? []).length === 0) return;
  (vs.spec?.http ?? []).forEach((route: any, r: number) => {
    (route?.route ?? []).forEach((weighted: any, d: number) => {
      const destination = weighted?.destination;
      if (!destination || destination.subset) return;
      for (const splitting of splittersOf.get(destination.host) ?? []) {
        context.report('IngressRouteRulesNotAffected', vs, [splitting, `${namespaceOf(vs)}/${vs.metadata?.name}`], `spec.http[${r}].route[${d}].destination.host`);
      }
    });
  });
}
