// Follows Istio's pkg/config/analysis/analyzers/telemetry/providers.go.
import type { Analyzer } from '../../context.js';
import { type KubeObject, nameOf, namespaceOf } from '../../../core/index.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * Access logging without providers is ignored when the mesh config names no default provider
 * (IST0157).
 */
export const telemetryProviderAnalyzer: Analyzer = {
  name: 'telemetry.ProviderAnalyzer',
  codes: ['IST0157'],
  goFile: 'telemetry/providers.go',
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
