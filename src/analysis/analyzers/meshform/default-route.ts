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
      if (last < 0 || (routes[last]?.match ?? []).length === 0) continue;
      // At a gateway, unmatched paths answering 404 is usually intended; in the mesh it breaks callers.
      const name = appliesToMesh(vs) ? 'NoDefaultRoute' : 'NoDefaultGatewayRoute';
      context.report(name, vs, [routeLabel(routes[last], last)], `spec.http[${last}]`);
    }
  },
};
