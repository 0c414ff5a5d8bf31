// meshform's own check (an MF code): Istio has no analyzer for it.
import type { Analyzer } from '../../context.js';
import type { KubeObject } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';
import { selectorString } from '../../resources/selectors.js';

/**
 * A Gateway whose selector matches no gateway workload among the given manifests (MF0004):
 * correct only if the gateway is installed elsewhere with those labels.
 */
export function gatewayWorkloadAnalyzer(defaults: ReadonlySet<KubeObject>): Analyzer {
  return {
    name: 'meshform.GatewayWorkloadAnalyzer',
    codes: ['MF0004'],
    analyze(context) {
      for (const gateway of context.index.ofKind(KINDS.Gateway)) {
        const selector = gateway.spec?.selector ?? {};
        const own = context.index.podsMatching(selector).filter((pod) => !defaults.has(pod.owner));
        if (own.length === 0) context.report('GatewayWorkloadNotInManifests', gateway, [selectorString(selector)], 'spec.selector');
      }
    },
  };
}
