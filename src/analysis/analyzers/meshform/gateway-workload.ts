// meshform's own check (an MF code): Istio has no analyzer for it.
import { appendTo, compareCodeUnits, type KubeObject, originOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { DEFAULT_INGRESS_GATEWAY } from '../../resources/default-resources.js';
import { KINDS } from '../../resources/resource-index.js';
import { selectorString } from '../../resources/selectors.js';

/**
 * Gateways whose selector matches no gateway workload among the given manifests (MF0004):
 * correct only if the gateway is installed elsewhere with those labels. Reported once per
 * selector, on the first of its Gateways. Not reported for the mesh's declared ingress gateway
 * (`istio: <ingressSelector>` of the mesh config) or a gateway whose pods the caller declared
 * besides the input; istioctl's assumed default gateway does not count as declared.
 */
export const gatewayWorkloadAnalyzer: Analyzer = {
  name: 'meshform.GatewayWorkloadAnalyzer',
  codes: ['MF0004'],
  analyze(context) {
    const given = new Set(context.inputObjects);
    const assumed = new Set(DEFAULT_INGRESS_GATEWAY);
    const ingress = context.meshConfig.ingressSelector ?? 'ingressgateway';
    const bySelector = new Map<string, KubeObject[]>();
    for (const gateway of context.index.ofKind(KINDS.Gateway)) {
      const selector: Record<string, string> = gateway.spec?.selector ?? {};
      const keys = Object.keys(selector);
      if (keys.length === 1 && selector['istio'] === ingress) continue;
      const pods = context.index.podsMatching(selector).filter((pod) => given.has(pod.owner) || !assumed.has(pod.owner));
      if (pods.length === 0) appendTo(bySelector, selectorString(selector), gateway);
    }
    for (const [selector, gateways] of bySelector) {
      const [first, ...others] = [...gateways].sort((a, b) => compareCodeUnits(originOf(a), originOf(b)));
      const also = others.length > 0 ? ` (nor for ${others.map(originOf).join(', ')}, which select the same labels)` : '';
      context.report('GatewayWorkloadNotInManifests', first!, [selector, also], 'spec.selector');
    }
  },
};
