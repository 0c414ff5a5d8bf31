// meshform's own check (an MF code): Istio has no analyzer for it.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * An AuthorizationPolicy method that is not upper-case: Istio compares the request's method
 * case-sensitively and clients send it upper-case, so `post` matches nothing (MF0011). In an
 * ALLOW rule that admits nobody; in `notMethods` of a DENY rule it excludes nothing.
 */
export const methodCaseAnalyzer: Analyzer = {
  name: 'meshform.MethodCaseAnalyzer',
  codes: ['MF0011'],
  analyze(context) {
    for (const policy of context.index.ofKind(KINDS.AuthorizationPolicy)) {
      ((policy.spec?.rules ?? []) as { to?: { operation?: Record<string, unknown> }[] }[]).forEach((rule, r) => {
        (rule?.to ?? []).forEach((to, t) => {
          for (const field of ['methods', 'notMethods'] as const) {
            const methods = to?.operation?.[field];
            if (!Array.isArray(methods)) continue;
            methods.forEach((method: unknown, m) => {
              if (typeof method === 'string' && method !== method.toUpperCase()) {
                context.report('MethodNotUpperCase', policy, [method, method.toUpperCase()], `spec.rules[${r}].to[${t}].operation.${field}[${m}]`);
              }
            });
          }
        });
      });
    }
  },
};
