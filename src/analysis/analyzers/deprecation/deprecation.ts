// Follows Istio's pkg/config/analysis/analyzers/deprecation/deprecation.go.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/** The CRDs of Istio's removed RBAC API, left over by old installs. */
const REMOVED_CRDS: readonly (readonly [string, string])[] = [
  ['rbac.istio.io', 'ClusterRbacConfig'],
  ['rbac.istio.io', 'RbacConfig'],
  ['rbac.istio.io', 'ServiceRole'],
  ['rbac.istio.io', 'ServiceRoleBinding'],
];

/**
 * The deprecated fields and removed types Istio's hand-made list names (IST0002): a fault delay
 * given as `percent`, a Sidecar's `outboundTrafficPolicy.egressProxy`, and the RBAC CRDs.
 */
export const deprecationAnalyzer: Analyzer = {
  name: 'deprecation.DeprecationAnalyzer',
  typeName: 'deprecation.FieldAnalyzer',
  codes: ['IST0002'],
  goFile: 'deprecation/deprecation.go',
  analyze(context) {
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      (Array.isArray(vs.spec?.http) ? vs.spec.http : []).forEach((route: any, index: number) => {
        const percent = route?.fault?.delay?.percent;
        if (typeof percent === 'number' && percent > 0) {
          context.report('Deprecated', vs, ['HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage'], `spec.http[${index}].fault.delay.percent`);
        }
      });
    }
    for (const sidecar of context.index.ofKind(KINDS.Sidecar)) {
      if (sidecar.spec?.outboundTrafficPolicy?.egressProxy) {
        context.report('Deprecated', sidecar, ['OutboundTrafficPolicy.EgressProxy ignored'], 'spec.outboundTrafficPolicy.egressProxy');
      }
    }
    for (const crd of context.index.ofKind('apiextensions.k8s.io/CustomResourceDefinition')) {
      const group = crd.spec?.group;
      const kind = crd.spec?.names?.kind;
      if (REMOVED_CRDS.some(([removedGroup, removedKind]) => group === removedGroup && kind === removedKind)) {
        context.report('Deprecated', crd, [`Custom resource type ${group} ${kind} is removed`], 'spec.group');
      }
    }
  },
};
