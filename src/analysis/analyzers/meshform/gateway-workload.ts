// meshform's own check (an MF code): Istio has no analyzer for it.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { selectorString } from '../../resources/selectors.js';

/**
 * A Gateway whose selector matches no gateway workload among the given manifests (MF0004):
 * correct only if the gateway is installed elsewhere with those labels. Objects assumed to
 * exist besides the input (istioctl's default ingress gateway) do not count.
 */
export const gatewayWorkloadAnalyzer: Analyzer = {
  name: 'meshform.GatewayWorkloadAnalyzer',
  codes: ['MF0004'],
  analyze(context) {
    const given = new Set(context.inputObjects);
    for (const gateway of context.index.ofKind(KINDS.Gateway)) {
      const selector = gateway.spec?.selector ?? {};
      const own = context.index.podsMatching(selector).filter((pod) => given.has(pod.owner));
      if (own.length === 0) context.report('GatewayWorkloadNotInManifests', gateway, [selectorString(selector)], 'spec.selector');
    }
  },
};
