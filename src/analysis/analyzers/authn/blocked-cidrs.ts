// Follows Istio's pkg/config/analysis/analyzers/authn/blockedcidrs.go.
import type { Analyzer } from '../../context.js';
import { nameOf, namespaceOf } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * RequestAuthentications make istiod fetch JWKS; without BLOCKED_CIDRS_IN_JWKS_URIS on istiod
 * (a Deployment labelled `app: istiod`) any address can be fetched (IST0175). As in
 * blockedcidrs.go, every RequestAuthentication counts, and at most five are named.
 */
export const blockedCidrsAnalyzer: Analyzer = {
  name: 'authn.BlockedCIDRsAnalyzer',
  codes: ['IST0175'],
  goFile: 'authn/blockedcidrs.go',
  analyze(context) {
    const names = context.index.ofKind(KINDS.RequestAuthentication).map((ra) => `${namespaceOf(ra)}/${nameOf(ra)}`);
    if (names.length === 0) return;
    const shown = names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, and ${names.length - 5} more`;
    for (const istiod of context.index.ofKind(KINDS.Deployment)) {
      if (istiod.metadata?.labels?.app !== 'istiod') continue;
      const configured = (istiod.spec?.template?.spec?.containers ?? []).some((container: any) =>
        (container?.env ?? []).some((env: any) => env?.name === 'BLOCKED_CIDRS_IN_JWKS_URIS' && env?.value),
      );
      if (!configured) context.report('JwksUriFetchUnrestricted', istiod, [names.length, shown]);
    }
  },
};
