// Follows Istio's pkg/config/analysis/analyzers/telemetry/selector.go.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { checkWorkloadSelectors, type SelectorPolicy } from '../../workload-selector-conflicts.js';

/** How Telemetry resources select workloads, shared with telemetry.DefaultSelectorAnalyzer. */
export const TELEMETRY_SELECTORS: SelectorPolicy = {
  kind: KINDS.Telemetry,
  selectorOf: (telemetry) => telemetry.spec?.selector?.matchLabels,
  // As default_selector.go: only a Telemetry without any selector is namespace-wide (targetRefs or not).
  namespaceWide: (telemetry) => telemetry.spec?.selector === undefined || telemetry.spec?.selector === null,
  conflict: 'ConflictingTelemetryWorkloadSelectors',
  multipleWithoutSelector: 'MultipleTelemetriesWithoutWorkloadSelectors',
};

/** Telemetry selectors that match no pod (IST0101) or overlap (IST0159). */
export const telemetrySelectorAnalyzer: Analyzer = {
  name: 'telemetry.SelectorAnalyzer',
  codes: ['IST0101', 'IST0159'],
  goFile: 'telemetry/selector.go',
  analyze: (context) => checkWorkloadSelectors(context, TELEMETRY_SELECTORS, { withoutSelector: false, selected: true }),
};
