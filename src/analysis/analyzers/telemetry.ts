import type { Analyzer } from '../context.js';
import { nameOf, namespaceOf, type KubeObject } from '../manifest.js';
import { KINDS } from '../resource-index.js';
import { checkWorkloadSelectors, type SelectorPolicy } from './workload-selector-conflicts.js';

const TELEMETRY: SelectorPolicy = {
  kind: KINDS.Telemetry,
  selectorOf: (telemetry) => telemetry.spec?.selector?.matchLabels,
  targetsOther: (telemetry) => Boolean(telemetry.spec?.targetRef || telemetry.spec?.targetRefs?.length),
  conflict: 'ConflictingTelemetryWorkloadSelectors',
  multipleWithoutSelector: 'MultipleTelemetriesWithoutWorkloadSelectors',
};

/** Telemetry selectors that match no pod (IST0101) or overlap (IST0159). */
export const telemetrySelectorAnalyzer: Analyzer = {
  name: 'telemetry.SelectorAnalyzer',
  codes: ['IST0101', 'IST0159'],
  analyze: (context) => checkWorkloadSelectors(context, TELEMETRY, { withoutSelector: false, selected: true }),
};

/** More than one Telemetry without selector in a namespace (IST0160). */
export const telemetryDefaultSelectorAnalyzer: Analyzer = {
  name: 'telemetry.DefaultSelectorAnalyzer',
  codes: ['IST0160'],
  analyze: (context) => checkWorkloadSelectors(context, TELEMETRY, { withoutSelector: true, selected: false }),
};

/**
 * Access logging without providers is ignored when the mesh config names no default provider
 * (IST0157).
 */
export const telemetryProviderAnalyzer: Analyzer = {
  name: 'telemetry.ProviderAnalyzer',
  codes: ['IST0157'],
  analyze(context) {
    if ((context.meshConfig.defaultProviders?.accessLogging ?? []).length > 0) return;
    for (const telemetry of context.index.ofKind(KINDS.Telemetry)) {
      if (hasIgnoredAccessLogging(telemetry)) {
        context.report('InvalidTelemetryProvider', telemetry, [nameOf(telemetry), namespaceOf(telemetry)], 'spec.accessLogging');
      }
    }
  },
};

function hasIgnoredAccessLogging(telemetry: KubeObject): boolean {
  return (telemetry.spec?.accessLogging ?? []).some(
    (entry: any) => (entry?.providers ?? []).length === 0 && entry?.disabled !== true,
  );
}
