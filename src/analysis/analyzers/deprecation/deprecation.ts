// Follows Istio's pkg/config/analysis/analyzers/deprecation/deprecation.go.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/** Istio API groups whose kinds are gone: their CRDs are leftovers of old installs. */
const REMOVED_GROUPS = ['rbac.istio.io', 'authentication.istio.io', 'config.istio.io', 'policy.istio.io'];

/** Fields and kinds Istio deprecated or removed (IST0002). */
export const deprecationAnalyzer: Analyzer = {
  name: 'deprecation.DeprecationAnalyzer',
  typeName: 'deprecation.FieldAnalyzer',
  codes: ['IST0002'],
  analyze(context) {
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      (vs.spec?.http ?? []).forEach((route: any, index: number) => {
        if (route?.mirrorPercent !== undefined) {
          context.report('Deprecated', vs, ['HTTPRoute.mirror_percent is deprecated; use HTTPRoute.mirror_percentage'], `spec.http[${index}].mirrorPercent`);
        }
      });
    }
    for (const sidecar of context.index.ofKind(KINDS.Sidecar)) {
      if (sidecar.spec?.outboundTrafficPolicy?.egressProxy !== undefined) {
        context.report('Deprecated', sidecar, ['OutboundTrafficPolicy.EgressProxy is ignored'], 'spec.outboundTrafficPolicy.egressProxy');
      }
    }
    for (const crd of context.index.ofKind('apiextensions.k8s.io/CustomResourceDefinition')) {
      const group = crd.spec?.group;
      if (REMOVED_GROUPS.includes(group)) {
        context.report('Deprecated', crd, [`Custom resource type ${group} ${crd.spec?.names?.kind} is removed`], 'spec.group');
      }
    }
  },
};
