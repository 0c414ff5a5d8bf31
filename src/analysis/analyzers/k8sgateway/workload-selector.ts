// Follows Istio's pkg/config/analysis/analyzers/k8sgateway/workloadselector.go.
import { namespaceOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const POLICY_KINDS = [KINDS.RequestAuthentication, KINDS.AuthorizationPolicy, KINDS.WasmPlugin, KINDS.Telemetry];

/** A policy that selects Gateway API gateway pods by label instead of targetRefs has no effect (IST0166). */
export const kubernetesGatewaySelectorAnalyzer: Analyzer = {
  name: 'k8sgateway.SelectorAnalyzer',
  codes: ['IST0166'],
  goFile: 'k8sgateway/workloadselector.go',
  analyze(context) {
    for (const kind of POLICY_KINDS) {
      for (const policy of context.index.ofKind(kind)) {
        const selector = policy.spec?.selector?.matchLabels;
        if (!selector || Object.keys(selector).length === 0 || policy.spec?.targetRef || policy.spec?.targetRefs?.length) continue;
        const gatewayPod = context.index.podsMatching(selector, namespaceOf(policy)).find((pod) => pod.labels[GATEWAY_NAME_LABEL] !== undefined);
        if (gatewayPod) context.report('IneffectiveSelector', policy, [gatewayPod.labels[GATEWAY_NAME_LABEL]], 'spec.selector');
      }
    }
  },
};
