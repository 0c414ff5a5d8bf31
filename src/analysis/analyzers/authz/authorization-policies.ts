// Follows Istio's pkg/config/analysis/analyzers/authz/authorizationpolicies.go.
import type { Analyzer } from '../../context.js';
import { nameOf, namespaceOf } from '../../../core/index.js';
import { podInAmbientMode, podInMesh } from '../../resources/mesh-membership.js';
import { KINDS, type PodView } from '../../resources/resource-index.js';
import { selectorString } from '../../resources/selectors.js';

/**
 * AuthorizationPolicies that apply to no meshed workload (IST0127), or name source namespaces
 * that do not exist (IST0101).
 */
export const authorizationPoliciesAnalyzer: Analyzer = {
  name: 'auth.AuthorizationPoliciesAnalyzer',
  codes: ['IST0101', 'IST0127'],
  goFile: 'authz/authorizationpolicies.go',
  analyze(context) {
    const namespaces = context.index.ofKind(KINDS.Namespace).map(nameOf);
    for (const policy of context.index.ofKind(KINDS.AuthorizationPolicy)) {
      const namespace = namespaceOf(policy);
      const selector: Record<string, string> | undefined = policy.spec?.selector?.matchLabels ?? (policy.spec?.selector ? {} : undefined);
      // Pods with a sidecar or in ambient mode count; a policy bound by targetRef is judged as namespace-wide, as in Istio.
      const meshed = (pods: readonly PodView[]) => pods.some((pod) => podInMesh(pod, context) || podInAmbientMode(pod));
      if (namespace === context.rootNamespace) {
        if (selector && !meshed(context.index.podsMatching(selector))) context.report('NoMatchingWorkloadsFound', policy, [selectorString(selector)], 'spec.selector');
      } else if (!selector) {
        if (!meshed(context.index.podsIn(namespace))) context.report('NoMatchingWorkloadsFound', policy, ['']);
      } else if (!meshed(context.index.podsMatching(selector, namespace))) {
        context.report('NoMatchingWorkloadsFound', policy, [selectorString(selector)], 'spec.selector');
      }
      (policy.spec?.rules ?? []).forEach((rule: any, r: number) => {
        (rule?.from ?? []).forEach((from: any, f: number) => {
          for (const pattern of [...(from?.source?.namespaces ?? []), ...(from?.source?.notNamespaces ?? [])] as string[]) {
            if (!namespaces.some((name) => namespaceMatches(pattern, name))) {
              context.report('ReferencedResourceNotFound', policy, ['namespace', pattern], `spec.rules[${r}].from[${f}].source`);
            }
          }
        });
      });
    }
  },
};

/** Istio's namespace patterns, as namespaceMatch reads them: `*`, `*suffix`, `prefix*`, or the name in any case. */
function namespaceMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return name.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return pattern.toLowerCase() === name.toLowerCase();
}
