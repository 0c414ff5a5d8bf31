// Follows Istio's pkg/config/analysis/analyzers/k8sgateway/workloadselector.go.
import { namespaceOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const POLICY_KINDS = [KINDS.RequestAuthentication, KINDS.AuthorizationPolicy, KINDS.WasmPlugin, KINDS.Telemetry];

/**
 * A policy that selects Gateway API gateway pods by label instead of a targetRef has no effect
 * (IST0166), reported for each gateway pod it selects. As workloadselector.go: only the singular
 * `targetRef` exempts a policy, and a present but empty selector selects every gateway pod.
 */
export const kubernetesGatewaySelectorAnalyzer: Analyzer = {
  name: 'k8sgateway.SelectorAnalyzer',
  codes: ['IST0166'],
  goFile: 'k8sgateway/workloadselector.go',
  analyze(context) {
    for (const kind of POLICY_KINDS) {
      for (const policy of context.index.ofKind(kind)) {
        const selector = policy.spec?.selector;
        if (policy.spec?.targetRef || selector === undefined || selector === null) continue;
        for (const pod of context.index.podsMatching(selector.matchLabels ?? {}, namespaceOf(policy))) {
          if (pod.labels[GATEWAY_NAME_LABEL] !== undefined) context.report('IneffectiveSelector', policy, [pod.labels[GATEWAY_NAME_LABEL]], 'spec.selector');
        }
      }
    }
  },
};
