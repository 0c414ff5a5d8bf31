// Follows Istio's pkg/config/analysis/analyzers/sidecar/selector.go.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { checkWorkloadSelectors } from '../../workload-selector-conflicts.js';

/** Sidecar workload selectors: unmatched (IST0101), overlapping (IST0110), several namespace-wide (IST0111); ambient (IST0167). */
export const sidecarSelectorAnalyzer: Analyzer = {
  name: 'sidecar.SelectorAnalyzer',
  codes: ['IST0101', 'IST0110', 'IST0111', 'IST0167'],
  goFile: 'sidecar/selector.go',
  analyze(context) {
    checkWorkloadSelectors(
      context,
      {
        kind: KINDS.Sidecar,
        selectorOf: (sidecar) => sidecar.spec?.workloadSelector?.labels,
        conflict: 'ConflictingSidecarWorkloadSelectors',
        multipleWithoutSelector: 'MultipleSidecarsWithoutWorkloadSelectors',
        ineffectiveInAmbient: true,
      },
      { withoutSelector: true, selected: true },
    );
  },
};
