// Follows Istio's pkg/config/analysis/analyzers/virtualservice/destinationrules.go.
import { namespaceOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { mirrorDestinations, routeDestinations } from '../../resources/virtual-service.js';

// util.fqdnPattern: greedy, so `a.b.c.svc.cluster.local` is `a.b` in `c`.
const FQDN = /^(.+)\.(.+)\.svc\.cluster\.local$/;

/** `namespace/name` a host names, as util.GetResourceNameFromHost reads it: an FQDN, or a short name in `namespace`. */
function serviceKey(host: string, namespace: string): string {
  const fqdn = FQDN.exec(host);
  return fqdn ? `${fqdn[2]}/${fqdn[1]}` : `${namespace}/${host}`;
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
