// Follows Istio's pkg/config/analysis/analyzers/virtualservice/destinationrules.go.
import { namespaceOf, parseServiceHost } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { mirrorDestinations, routeDestinations } from '../../resources/virtual-service.js';

/** `namespace/name` of the Service a host names, as Istio's analyzers key DestinationRules. */
function serviceKey(host: string, namespace: string): string {
  const service = parseServiceHost(host);
  return service ? `${service.namespace}/${service.name}` : `${namespace}/${host}`;
}

/** A destination subset must be declared by a DestinationRule for that host (IST0101). */
export const destinationRuleAnalyzer: Analyzer = {
  name: 'virtualservice.DestinationRuleAnalyzer',
  codes: ['IST0101'],
  goFile: 'virtualservice/destinationrules.go',
  analyze(context) {
    const subsets = new Set<string>();
    for (const rule of context.index.ofKind(KINDS.DestinationRule)) {
      for (const subset of rule.spec?.subsets ?? []) {
        subsets.add(`${serviceKey(String(rule.spec?.host ?? ''), namespaceOf(rule))}+${subset?.name}`);
      }
    }
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      const destinations = [
        ...routeDestinations(vs).map((destination) => ({ ...destination, what: 'host+subset in destinationrule' })),
        ...mirrorDestinations(vs).map((destination) => ({ ...destination, what: 'mirror+subset in destinationrule' })),
      ];
      for (const { destination, path, what } of destinations) {
        if (!destination.subset) continue;
        if (!subsets.has(`${serviceKey(destination.host ?? '', namespaceOf(vs))}+${destination.subset}`)) {
          context.report('ReferencedResourceNotFound', vs, [what, `${destination.host}+${destination.subset}`], `${path}.subset`);
        }
      }
    }
  },
};
