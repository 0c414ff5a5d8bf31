// Follows Istio's pkg/config/analysis/analyzers/telemetry/default_selector.go.
import type { Analyzer } from '../../context.js';
import { checkWorkloadSelectors } from '../../workload-selector-conflicts.js';
import { TELEMETRY_SELECTORS } from './selector.js';

/** More than one Telemetry without selector in a namespace (IST0160). */
export const telemetryDefaultSelectorAnalyzer: Analyzer = {
  name: 'telemetry.DefaultSelectorAnalyzer',
  codes: ['IST0160'],
  goFile: 'telemetry/default_selector.go',
  analyze: (context) => checkWorkloadSelectors(context, TELEMETRY_SELECTORS, { withoutSelector: true, selected: false }),
};
