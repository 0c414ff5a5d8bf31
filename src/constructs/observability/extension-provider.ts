import { assertPort, MeshformError } from '../../core/index.js';
import { deprecatedProviderReason } from './telemetry-options.js';

/** A mesh config extension provider (`meshConfig.extensionProviders[]`), as Istio's Helm values take it. */
export type ExtensionProviderConfig = { readonly name: string } & Readonly<Record<string, unknown>>;

/** Where a provider sends its data: a Service as `<name>.<namespace>.svc.cluster.local` and a port. */
export interface ProviderEndpoint {
  readonly service: string;
  readonly port: number;
}

/**
 * An extension provider of the mesh config, which Telemetry resources name. Istio's deprecated
 * kinds (Lightstep, OpenCensus) are refused with what to use instead.
 */
export class ExtensionProvider {
  /** Traces to an OpenTelemetry collector (OTLP over gRPC). */
  public static openTelemetryTracing(name: string, endpoint: ProviderEndpoint): ExtensionProvider {
    return new ExtensionProvider(name, 'opentelemetry', checkedEndpoint(name, endpoint));
  }
  /** Traces to Zipkin (or Jaeger's Zipkin endpoint). */
  public static zipkin(name: string, endpoint: ProviderEndpoint): ExtensionProvider {
    return new ExtensionProvider(name, 'zipkin', checkedEndpoint(name, endpoint));
  }
  /** Access logs to an OpenTelemetry collector. */
  public static openTelemetryAccessLog(name: string, endpoint: ProviderEndpoint): ExtensionProvider {
    return new ExtensionProvider(name, 'envoyOtelAls', checkedEndpoint(name, endpoint));
  }
  /**
   * Access logs to a file of the proxy (stdout by default), in Envoy's default format or `format`,
   * which must keep the request id (`%REQ(X-REQUEST-ID)%`) so that a log line can be joined to its trace.
   */
  public static fileAccessLog(name: string, options: { readonly path?: string; readonly format?: string } = {}): ExtensionProvider {
    if (options.format !== undefined && !/%REQ\(X-REQUEST-ID\)%/i.test(options.format)) {
      throw new MeshformError(`the log format of provider ${name} drops the request id`, {
        field: 'fileAccessLog.format',
        fix: 'Add %REQ(X-REQUEST-ID)% to the format, so that a log line can be found from its trace and back.',
      });
    }
    return new ExtensionProvider(name, 'envoyFileAccessLog', {
      path: options.path ?? '/dev/stdout',
      ...(options.format !== undefined ? { logFormat: { text: options.format } } : {}),
    });
  }
  /** Any other kind, as Istio's mesh config spells it (`{ skywalking: { service, port } }`). */
  public static of(name: string, kind: string, settings: Readonly<Record<string, unknown>>): ExtensionProvider {
    return new ExtensionProvider(name, kind, settings);
  }

  private constructor(
    public readonly name: string,
    public readonly kind: string,
    private readonly settings: Readonly<Record<string, unknown>>,
  ) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(name)) {
      throw new MeshformError(`"${String(name)}" is not a provider name`, { field: 'extensionProviders.name', fix: 'Use letters, digits, - _ and . only.' });
    }
    const deprecated = deprecatedProviderReason(kind);
    if (deprecated) throw new MeshformError(`provider ${name} is of a deprecated kind (${kind})`, { field: `extensionProviders.${name}`, fix: deprecated });
  }

  /** The entry of `meshConfig.extensionProviders`. */
  public toMeshConfig(): ExtensionProviderConfig {
    return { name: this.name, [this.kind]: { ...this.settings } };
  }
}

function checkedEndpoint(name: string, { service, port }: ProviderEndpoint): Record<string, unknown> {
  if (typeof service !== 'string' || service.trim() === '') {
    throw new MeshformError(`provider ${name} names no service`, { field: `extensionProviders.${name}.service`, fix: "Give the collector's Service, e.g. 'otel-collector.observability.svc.cluster.local'." });
  }
  return { service, port: assertPort(port, { field: `extensionProviders.${name}.port` }) };
}
