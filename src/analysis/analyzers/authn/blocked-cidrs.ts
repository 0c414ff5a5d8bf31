// Follows Istio's pkg/config/analysis/analyzers/authn/blockedcidrs.go.
import type { Analyzer } from '../../context.js';
import { nameOf, namespaceOf } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * RequestAuthentications make istiod fetch JWKS from the URIs they name; without
 * BLOCKED_CIDRS_IN_JWKS_URIS on istiod any address can be fetched (IST0175).
 */
export const blockedCidrsAnalyzer: Analyzer = {
  name: 'authn.BlockedCIDRsAnalyzer',
  codes: ['IST0175'],
  goFile: 'authn/blockedcidrs.go',
  analyze(context) {
    const fetching = context.index
      .ofKind(KINDS.RequestAuthentication)
      .filter((ra) => (ra.spec?.jwtRules ?? []).some((rule: any) => rule?.jwksUri));
    if (fetching.length === 0) return;
    const names = fetching.map((ra) => `${namespaceOf(ra)}/${nameOf(ra)}`).sort();
    for (const istiod of context.index.ofKind(KINDS.Deployment)) {
      const labels = istiod.spec?.template?.metadata?.labels ?? istiod.metadata?.labels ?? {};
      if (namespaceOf(istiod) !== context.rootNamespace || (labels.app !== 'istiod' && nameOf(istiod) !== 'istiod')) continue;
      const configured = (istiod.spec?.template?.spec?.containers ?? []).some((container: any) =>
        (container?.env ?? []).some((env: any) => env?.name === 'BLOCKED_CIDRS_IN_JWKS_URIS' && env?.value),
      );
      if (!configured) context.report('JwksUriFetchUnrestricted', istiod, [fetching.length, names.join(', ')]);
    }
  },
};
