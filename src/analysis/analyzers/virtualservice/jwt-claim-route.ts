// Follows Istio's pkg/config/analysis/analyzers/virtualservice/jwtclaimroute.go.
import { ISTIO_SYSTEM_NAMESPACE, type KubeObject, namespaceOf, selectorMatches } from '../../../core/index.js';
import type { AnalysisContext, Analyzer } from '../../context.js';
import { KINDS, type PodView } from '../../resources/resource-index.js';
import { gatewayReference } from '../../resources/virtual-service.js';

const CLAIM_PREFIX = '@request.auth.claims';

/**
 * Routing on JWT claims at a gateway needs a RequestAuthentication for the gateway pods, or the
 * claims are never there to match (IST0149).
 */
export const jwtClaimRouteAnalyzer: Analyzer = {
  name: 'virtualservice.JWTClaimRouteAnalyzer',
  codes: ['IST0149'],
  goFile: 'virtualservice/jwtclaimroute.go',
  analyze(context) {
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      const key = claimKey(vs);
      if (!key) continue;
      for (const reference of (vs.spec?.gateways ?? []) as string[]) {
        if (reference === 'mesh') continue;
        const { namespace, name } = gatewayReference(reference, namespaceOf(vs));
        const gateway = context.index.find(KINDS.Gateway, namespace, name);
        if (!gateway) continue;
        for (const pod of context.index.podsMatching(gateway.spec?.selector ?? {})) {
          if (!hasRequestAuthentication(context, pod)) {
            context.report('JwtClaimBasedRoutingWithoutRequestAuthN', vs, [key, `${namespace}/${name}`, pod.name]);
          }
        }
      }
    }
  },
};

function claimKey(vs: KubeObject): string | undefined {
  for (const route of vs.spec?.http ?? []) {
    for (const match of route?.match ?? []) {
      for (const key of [...Object.keys(match?.headers ?? {}), ...Object.keys(match?.withoutHeaders ?? {})]) {
        if (isRoutingClaim(key)) return key;
      }
    }
  }
  return undefined;
}

/**
 * jwt.ToRoutingClaim's test: the claim prefix in any case, then `.claim[.nested]` or
 * `[claim][nested]`, never the bare prefix.
 */
function isRoutingClaim(header: string): boolean {
  if (!header.toLowerCase().startsWith(CLAIM_PREFIX)) return false;
  const rest = header.slice(CLAIM_PREFIX.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

function hasRequestAuthentication(context: AnalysisContext, pod: PodView): boolean {
  return context.index.ofKind(KINDS.RequestAuthentication).some((ra) => {
    const namespace = namespaceOf(ra);
    // jwtclaimroute.go looks in istio-system itself, whatever the mesh's root namespace.
    if (namespace !== ISTIO_SYSTEM_NAMESPACE && namespace !== pod.namespace) return false;
    return selectorMatches(ra.spec?.selector?.matchLabels, pod.labels);
  });
}
