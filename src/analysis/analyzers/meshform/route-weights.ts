// meshform's own check (an MF code): Istio has no analyzer for it.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { routeLabel } from '../../resources/virtual-service.js';

/** The weights of a route's destinations must add up to 100 (MF0002). */
export const routeWeightsAnalyzer: Analyzer = {
  name: 'meshform.RouteWeightsAnalyzer',
  codes: ['MF0002'],
  analyze(context) {
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      for (const kind of ['http', 'tcp', 'tls'] as const) {
        (vs.spec?.[kind] ?? []).forEach((route: any, index: number) => {
          const destinations: any[] = route?.route ?? [];
          if (destinations.length === 0 || destinations.every((d) => d?.weight === undefined)) return;
          if (destinations.length === 1 && destinations[0]?.weight === undefined) return;
          const weights = destinations.map((d) => Number(d?.weight ?? 0));
          const total = weights.reduce((sum, weight) => sum + weight, 0);
          if (total !== 100) {
            const listed = destinations.map((d, i) => `${d?.destination?.host}${d?.destination?.subset ? `/${d.destination.subset}` : ''}=${weights[i]}`).join(', ');
            context.report('WeightsNotHundred', vs, [`${kind} ${routeLabel(route, index)}`, total, listed], `spec.${kind}[${index}].route`);
          }
        });
      }
    }
  },
};
