// Follows Istio's pkg/config/analysis/analyzers/envoyfilter/envoyfilter.go.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

const ROUTE_LEVEL = ['ROUTE_CONFIGURATION', 'HTTP_ROUTE'];
const RELATIVE = ['INSERT_BEFORE', 'INSERT_AFTER', 'REPLACE', 'REMOVE'];

/**
 * EnvoyFilter patches that Istio ignores (IST0152–IST0154) or whose effect depends on the order
 * in which filters are applied: relative operations without a priority (IST0151), worse when
 * tied to a proxy version (IST0155).
 */
export const envoyPatchAnalyzer: Analyzer = {
  name: 'envoyfilter.EnvoyPatchAnalyzer',
  codes: ['IST0151', 'IST0152', 'IST0153', 'IST0154', 'IST0155'],
  goFile: 'envoyfilter/envoyfilter.go',
  analyze(context) {
    for (const filter of context.index.ofKind(KINDS.EnvoyFilter)) {
      const priority = Number(filter.spec?.priority ?? 0);
      const patches: any[] = filter.spec?.configPatches ?? [];
      for (const [index, patch] of patches.entries()) {
        const operation = patch?.patch?.operation;
        const applyTo = patch?.applyTo;
        const path = `spec.configPatches[${index}]`;
        if (operation === 'ADD' && ROUTE_LEVEL.includes(applyTo)) {
          context.report('EnvoyFilterUsesAddOperationIncorrectly', filter, [], path);
          continue;
        }
        if (operation === 'REMOVE' && ROUTE_LEVEL.includes(applyTo)) {
          context.report('EnvoyFilterUsesRemoveOperationIncorrectly', filter, [], path);
          continue;
        }
        if (operation === 'REPLACE' && applyTo !== 'HTTP_FILTER' && applyTo !== 'NETWORK_FILTER') {
          context.report('EnvoyFilterUsesReplaceOperationIncorrectly', filter, [], path);
          continue;
        }
        if (RELATIVE.includes(operation) && priority === 0) {
          // One warning says it for the whole filter: its patches share the missing priority.
          context.report('EnvoyFilterUsesRelativeOperation', filter, [], path);
          if (patch?.match?.proxy?.proxyVersion) context.report('EnvoyFilterUsesRelativeOperationWithProxyVersion', filter, [], path);
          break;
        }
      }
    }
  },
};
