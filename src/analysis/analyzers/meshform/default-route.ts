// meshform's own check (an MF code): Istio has no analyzer for it.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { appliesToMesh, routeLabel } from '../../resources/virtual-service.js';

/** A VirtualService whose last HTTP route has a match leaves other requests without a route (MF0001). */
export const defaultRouteAnalyzer: Analyzer = {
  name: 'meshform.DefaultRouteAnalyzer',
  codes: ['MF0001'],
  analyze(context) {
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      const routes: any[] = vs.spec?.http ?? [];
      const last = routes.length - 1;
      if (last < 0 || (routes[last]?.match ?? []).length === 0 || splitsBySourceGateway(routes[last])) continue;
      // At a gateway, unmatched paths answering 404 is usually intended; in the mesh it breaks callers.
      const name = appliesToMesh(vs) ? 'NoDefaultRoute' : 'NoDefaultGatewayRoute';
      context.report(name, vs, [routeLabel(routes[last], last)], `spec.http[${last}]`);
    }
  },
};

/**
 * A last route that takes everything from some gateways (Istio's egress pattern: one rule for the
 * mesh, one for the egress gateway) leaves nothing of theirs unrouted.
 */
function splitsBySourceGateway(route: any): boolean {
  const matches: any[] = route?.match ?? [];
  return matches.every((match) => match && Array.isArray(match.gateways) && match.gateways.length > 0 && Object.keys(match).every((key) => key === 'gateways' || key === 'port'));
}
