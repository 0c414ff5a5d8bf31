// Follows Istio's pkg/config/analysis/analyzers/telemetry/lightstep.go.
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * Telemetry tracing through an extension provider of the mesh config that is of the deprecated
 * Lightstep kind (IST0002), once per provider reference.
 */
export const telemetryLightstepAnalyzer: Analyzer = {
  name: 'telemetry.LightstepAnalyzer',
  codes: ['IST0002'],
  goFile: 'telemetry/lightstep.go',
  analyze(context) {
    const providers: unknown[] = Array.isArray(context.meshConfig.extensionProviders) ? context.meshConfig.extensionProviders : [];
    const lightstep = new Set(
      providers
        .filter((provider): provider is { name: unknown; lightstep: unknown } => typeof provider === 'object' && provider !== null && 'lightstep' in provider)
        .map((provider) => String(provider.name)),
    );
    if (lightstep.size === 0) return;
    for (const telemetry of context.index.ofKind(KINDS.Telemetry)) {
      for (const tracing of (Array.isArray(telemetry.spec?.tracing) ? telemetry.spec.tracing : []) as any[]) {
        for (const provider of (Array.isArray(tracing?.providers) ? tracing.providers : []) as any[]) {
          if (lightstep.has(String(provider?.name))) {
            context.report('Deprecated', telemetry, [`The Lightstep provider ${provider.name} is deprecated, please migrate to OpenTelemetry provider.`], 'spec.tracing');
          }
        }
      }
    }
  },
};
