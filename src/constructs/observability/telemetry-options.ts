import type { TelemetrySpec } from '../../../imports/telemetry.istio.io.js';
import { assertPercentage, MeshformError, type ErrorLocation } from '../../core/index.js';

/** Istio's standard metrics, or all of them. */
export type IstioMetric =
  | 'ALL_METRICS'
  | 'REQUEST_COUNT'
  | 'REQUEST_DURATION'
  | 'REQUEST_SIZE'
  | 'RESPONSE_SIZE'
  | 'TCP_OPENED_CONNECTIONS'
  | 'TCP_CLOSED_CONNECTIONS'
  | 'TCP_SENT_BYTES'
  | 'TCP_RECEIVED_BYTES'
  | 'GRPC_REQUEST_MESSAGES'
  | 'GRPC_RESPONSE_MESSAGES';

const METRICS: readonly IstioMetric[] = [
  'ALL_METRICS',
  'REQUEST_COUNT',
  'REQUEST_DURATION',
  'REQUEST_SIZE',
  'RESPONSE_SIZE',
  'TCP_OPENED_CONNECTIONS',
  'TCP_CLOSED_CONNECTIONS',
  'TCP_SENT_BYTES',
  'TCP_RECEIVED_BYTES',
  'GRPC_REQUEST_MESSAGES',
  'GRPC_RESPONSE_MESSAGES',
];

/** Which side of a call a setting applies to. */
export type TrafficSide = 'CLIENT' | 'SERVER' | 'CLIENT_AND_SERVER';

/** Provider kinds Istio has deprecated, with what to use instead. */
const DEPRECATED_PROVIDERS: Readonly<Record<string, string>> = {
  lightstep: 'The Lightstep provider is deprecated; migrate to the OpenTelemetry provider (opentelemetry).',
  opencensus: 'The OpenCensus agent provider is deprecated (OpenCensus is retired); migrate to the OpenTelemetry provider (opentelemetry).',
};

/** The value of a custom span tag: a literal, a request header, or an environment variable of the proxy. */
export class TracingTag {
  public static literal(value: string): TracingTag {
    return new TracingTag({ literal: { value } }, value);
  }
  /** A request header, e.g. `TracingTag.header('x-tenant', 'none')`. */
  public static header(name: string, defaultValue?: string): TracingTag {
    return new TracingTag({ header: { name, ...(defaultValue !== undefined ? { defaultValue } : {}) } }, name);
  }
  /** An environment variable of the proxy container, e.g. `TracingTag.environment('ISTIO_META_CLUSTER_ID')`. */
  public static environment(name: string, defaultValue?: string): TracingTag {
    return new TracingTag({ environment: { name, ...(defaultValue !== undefined ? { defaultValue } : {}) } }, name);
  }

  private constructor(
    private readonly rendered: object,
    private readonly source: string,
  ) {}

  /** @internal */
  public _toIstio(location: ErrorLocation): object {
    if (typeof this.source !== 'string' || this.source === '') throw new MeshformError('the tag has no value or name', { ...location, fix: 'Give the literal, header or variable.' });
    return this.rendered;
  }
}

/** Distributed tracing: where spans go and how many requests are traced. */
export interface TracingOptions {
  /**
   * Name of a tracing extension provider of the mesh config (`meshConfig.extensionProviders`).
   * @default - the mesh config's default tracing provider
   */
  readonly provider?: string;
  /**
   * Share of requests traced, 0–100 (fractions allowed).
   * @default - the mesh config's (Istio's default is 1)
   */
  readonly randomSamplingPercentage?: number;
  /**
   * Extra span tags.
   * @default - none
   */
  readonly customTags?: Readonly<Record<string, TracingTag>>;
  /**
   * Keep tracing headers flowing but report no spans.
   * @default false
   */
  readonly disableSpanReporting?: boolean;
}

/** Access logging. Istio's `envoy` provider writes the proxy's default text format, which carries the request id (`x-request-id`). */
export interface AccessLogOptions {
  /**
   * Name of an access-log provider: `envoy` (built in: the proxy's stdout) or one of the mesh config.
   * @default 'envoy'
   */
  readonly provider?: string;
  /**
   * A CEL expression choosing the requests logged, e.g. `response.code >= 400`.
   * @default - every request
   */
  readonly filter?: string;
  /**
   * The side logged.
   * @default 'CLIENT_AND_SERVER'
   */
  readonly mode?: TrafficSide;
  /**
   * Turn access logging off here (over a wider Telemetry).
   * @default false
   */
  readonly disabled?: boolean;
}

/** A change to one standard metric. */
export interface MetricOverride {
  readonly metric: IstioMetric;
  /**
   * The side changed.
   * @default 'CLIENT_AND_SERVER'
   */
  readonly mode?: TrafficSide;
  /**
   * Stop producing the metric.
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Dimensions to add or change: tag name → CEL expression (`request.host`).
   * @default - none
   */
  readonly addTags?: Readonly<Record<string, string>>;
  /**
   * Dimensions to drop (cardinality kept down).
   * @default - none
   */
  readonly removeTags?: readonly string[];
}

/** Metrics: overrides for one provider. */
export interface MetricsOptions {
  /**
   * Name of the metrics provider.
   * @default 'prometheus'
   */
  readonly provider?: string;
  readonly overrides: readonly MetricOverride[];
}

/** Istio's Telemetry API for a scope: tracing, access logs and metrics. */
export interface TelemetryOptions {
  /** @default - the scope above decides */
  readonly tracing?: TracingOptions;
  /** @default - the scope above decides */
  readonly accessLogging?: AccessLogOptions;
  /** @default - the scope above decides */
  readonly metrics?: MetricsOptions;
}

/** Checks telemetry intent and writes Istio's Telemetry spec. */
export function renderTelemetry(options: TelemetryOptions, location: ErrorLocation, selector?: Record<string, string>): TelemetrySpec {
  const at = (field: string): ErrorLocation => ({ construct: location.construct, field: `${location.field ?? 'telemetry'}.${field}` });
  if (!options.tracing && !options.accessLogging && !options.metrics) {
    throw new MeshformError('the telemetry sets nothing', { ...at('tracing'), fix: 'Give tracing, accessLogging or metrics, or leave telemetry out.' });
  }
  const spec: Record<string, unknown> = selector ? { selector: { matchLabels: selector } } : {};
  if (options.tracing) spec.tracing = [renderTracing(options.tracing, at)];
  if (options.accessLogging) spec.accessLogging = [renderAccessLogging(options.accessLogging, at)];
  if (options.metrics) spec.metrics = [renderMetrics(options.metrics, at)];
  return spec as TelemetrySpec;
}

type At = (field: string) => ErrorLocation;

function renderTracing(tracing: TracingOptions, at: At): object {
  const tags = Object.entries(tracing.customTags ?? {}).map(([name, tag]): [string, object] => {
    if (!(tag instanceof TracingTag)) {
      throw new MeshformError('the tag is not a TracingTag', { ...at(`tracing.customTags.${name}`), fix: "Use TracingTag.literal('…'), .header('…') or .environment('…')." });
    }
    return [name, tag._toIstio(at(`tracing.customTags.${name}`))];
  });
  return {
    ...providers(tracing.provider, at('tracing.provider')),
    ...(tracing.randomSamplingPercentage !== undefined
      ? { randomSamplingPercentage: assertPercentage(tracing.randomSamplingPercentage, at('tracing.randomSamplingPercentage')) }
      : {}),
    ...(tags.length > 0 ? { customTags: Object.fromEntries(tags.sort(([a], [b]) => (a < b ? -1 : 1))) } : {}),
    ...(tracing.disableSpanReporting ? { disableSpanReporting: true } : {}),
  };
}

function renderAccessLogging(logging: AccessLogOptions, at: At): object {
  if (logging.filter !== undefined && (typeof logging.filter !== 'string' || logging.filter.trim() === '')) {
    throw new MeshformError('the filter is empty', { ...at('accessLogging.filter'), fix: "Give a CEL expression such as 'response.code >= 400', or leave filter out." });
  }
  return {
    ...providers(logging.provider ?? 'envoy', at('accessLogging.provider')),
    ...(logging.mode ? { match: { mode: logging.mode } } : {}),
    ...(logging.filter ? { filter: { expression: logging.filter } } : {}),
    ...(logging.disabled ? { disabled: true } : {}),
  };
}

function renderMetrics(metrics: MetricsOptions, at: At): object {
  if (!Array.isArray(metrics.overrides) || metrics.overrides.length === 0) {
    throw new MeshformError('metrics has no override', { ...at('metrics.overrides'), fix: 'Give at least one { metric, disabled | addTags | removeTags }.' });
  }
  return {
    ...providers(metrics.provider ?? 'prometheus', at('metrics.provider')),
    overrides: metrics.overrides.map((override, index) => {
      const field = `metrics.overrides[${index}]`;
      if (!METRICS.includes(override.metric)) {
        throw new MeshformError(`"${String(override.metric)}" is not an Istio metric`, { ...at(`${field}.metric`), fix: `Use one of ${METRICS.join(', ')}.` });
      }
      const removed: readonly string[] = override.removeTags ?? [];
      const overlap = removed.filter((tag) => override.addTags && tag in override.addTags);
      if (overlap.length > 0) {
        throw new MeshformError(`tag ${overlap[0]} is both added and removed`, { ...at(`${field}.removeTags`), fix: 'Add or remove each tag, not both.' });
      }
      const tagOverrides = [
        ...Object.entries(override.addTags ?? {}).map(([tag, value]) => [tag, { operation: 'UPSERT', value }] as const),
        ...removed.map((tag) => [tag, { operation: 'REMOVE' }] as const),
      ].sort(([a], [b]) => (a < b ? -1 : 1));
      if (!override.disabled && tagOverrides.length === 0) {
        throw new MeshformError(`the override of ${override.metric} changes nothing`, { ...at(field), fix: 'Set disabled, addTags or removeTags.' });
      }
      return {
        match: { metric: override.metric, mode: override.mode ?? 'CLIENT_AND_SERVER' },
        ...(override.disabled ? { disabled: true } : {}),
        ...(tagOverrides.length > 0 ? { tagOverrides: Object.fromEntries(tagOverrides) } : {}),
      };
    }),
  };
}

function providers(name: string | undefined, location: ErrorLocation): object {
  if (name === undefined) return {};
  if (typeof name !== 'string' || name.trim() === '') throw new MeshformError('the provider name is empty', { ...location, fix: 'Name an extension provider of the mesh config.' });
  const deprecated = DEPRECATED_PROVIDERS[name.toLowerCase()];
  if (deprecated) throw new MeshformError(`provider "${name}" is deprecated`, { ...location, fix: deprecated });
  return { providers: [{ name }] };
}

/** The reason an extension provider of the mesh config may not be used, for the kinds Istio deprecated. */
export function deprecatedProviderReason(kind: string): string | undefined {
  return DEPRECATED_PROVIDERS[kind.toLowerCase()];
}
