// Follows Istio's pkg/config/analysis/analyzers/envoyfilter/envoyfilter.go.
import { compareCodeUnits, type KubeObject, nameOf, namespaceOf } from '../../../core/index.js';
import type { AnalysisContext, Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

const ROUTE_LEVEL = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
const REPLACEABLE = new Set(['NETWORK_FILTER', 'HTTP_FILTER', 'VIRTUAL_HOST']);

/**
 * EnvoyFilter patches that Istio ignores (IST0152–IST0154), and relative patches without a
 * priority, whose effect depends on the order filters are applied in (IST0151) — IST0155 instead
 * when an earlier patch of the same filter name is tied to a proxy version.
 */
export const envoyPatchAnalyzer: Analyzer = {
  name: 'envoyfilter.EnvoyPatchAnalyzer',
  codes: ['IST0151', 'IST0152', 'IST0153', 'IST0154', 'IST0155'],
  goFile: 'envoyfilter/envoyfilter.go',
  analyze(context) {
    // Filter names of the patches seen so far that set a proxy version, across all EnvoyFilters.
    const versioned = new Set<string>();
    // Sorted by name, so the outcome does not hang on the order of the input files.
    const key = (filter: KubeObject) => `${namespaceOf(filter)}/${nameOf(filter)}`;
    const filters = [...context.index.ofKind(KINDS.EnvoyFilter)].sort((a, b) => compareCodeUnits(key(a), key(b)));
    for (const filter of filters) analyzePatches(context, filter, versioned);
  },
};

function analyzePatches(context: AnalysisContext, filter: KubeObject, versioned: Set<string>): void {
  const priority = Number(filter.spec?.priority ?? 0);
  const patches: any[] = Array.isArray(filter.spec?.configPatches) ? filter.spec.configPatches : [];
  for (const [index, configPatch] of patches.entries()) {
    // Istio stops at the first patch without a patch section.
    if (!configPatch?.patch) break;
    const name = instanceName(configPatch);
    const path = `spec.configPatches[${index}].patch.value`;
    const applyTo = configPatch.applyTo;
    const relative = () => {
      if (priority !== 0) return;
      context.report(versioned.has(name) ? 'EnvoyFilterUsesRelativeOperationWithProxyVersion' : 'EnvoyFilterUsesRelativeOperation', filter, [], path);
    };
    switch (configPatch.patch.operation) {
      case 'ADD':
        if (ROUTE_LEVEL.has(applyTo)) context.report('EnvoyFilterUsesAddOperationIncorrectly', filter, [], path);
        break;
      case 'REMOVE':
        if (ROUTE_LEVEL.has(applyTo)) context.report('EnvoyFilterUsesRemoveOperationIncorrectly', filter, [], path);
        else relative();
        break;
      case 'REPLACE':
        if (!REPLACEABLE.has(applyTo)) context.report('EnvoyFilterUsesReplaceOperationIncorrectly', filter, [], path);
        else relative();
        break;
      case 'INSERT_BEFORE':
      case 'INSERT_AFTER':
        relative();
        break;
      default:
        break;
    }
    const proxyVersion = configPatch.match?.proxy?.proxyVersion;
    if (typeof proxyVersion === 'string' && proxyVersion.length > 0) versioned.add(name);
  }
}

/**
 * The filter a patch is about, as Istio keys it: the `name` of the patch value, or else the filter
 * its listener match names. Istio compares the protobuf text of a value's name but the bare string
 * of a matched filter, so the two never equal each other; the prefixes keep that. No name is ''.
 */
function instanceName(configPatch: any): string {
  const value = configPatch.patch.value;
  if (value === null || typeof value !== 'object') return '';
  if (value.name !== undefined) return `value:${JSON.stringify(value.name)}`;
  const matched = configPatch.match?.listener?.filterChain?.filter?.name;
  return typeof matched === 'string' && matched !== '' ? `match:${matched}` : '';
}
