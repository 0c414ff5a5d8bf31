import { parse } from 'yaml';
import { compareCodeUnits, goDurationNanos, type MeshConfig, MeshformError, type ProxyConfig } from '../core/index.js';

/**
 * The proxy's effective config: the mesh's defaultConfig with the pod's `proxy.istio.io/config`
 * annotation on top (maps merged, like Istio's ApplyProxyConfig).
 */
export function effectiveProxyConfig(mesh: MeshConfig, annotation: string | undefined, where: string): ProxyConfig {
  const base = mesh.defaultConfig ?? {};
  if (annotation === undefined || annotation.trim() === '') return base;
  let overlay: unknown;
  try {
    overlay = parse(annotation);
  } catch (error) {
    throw new MeshformError(`proxy.istio.io/config is not YAML or JSON: ${(error as Error).message.split('\n')[0]}`, {
      construct: where,
      field: 'metadata.annotations[proxy.istio.io/config]',
    });
  }
  if (overlay === null) return base;
  if (typeof overlay !== 'object' || Array.isArray(overlay)) {
    throw new MeshformError('proxy.istio.io/config must be a ProxyConfig map', { construct: where, field: 'metadata.annotations[proxy.istio.io/config]' });
  }
  const merged: Record<string, unknown> = { ...base, ...(overlay as object) };
  if (base.proxyMetadata || (overlay as ProxyConfig).proxyMetadata) {
    merged.proxyMetadata = { ...base.proxyMetadata, ...(overlay as ProxyConfig).proxyMetadata };
  }
  return merged;
}

/** ProxyConfig's fields in the order of Istio's proto, which is the order its JSON is written in. */
const PROXY_CONFIG_FIELDS = [
  'configPath', 'binaryPath', 'serviceCluster', 'drainDuration', 'parentShutdownDuration', 'discoveryAddress',
  'discoveryRefreshDelay', 'zipkinAddress', 'statsdUdpAddress', 'envoyMetricsServiceAddress', 'proxyAdminPort',
  'availabilityZone', 'controlPlaneAuthPolicy', 'customConfigFile', 'statNameLength', 'concurrency',
  'proxyBootstrapTemplatePath', 'interceptionMode', 'tracing', 'sds', 'envoyAccessLogService', 'envoyMetricsService',
  'proxyMetadata', 'runtimeValues', 'statusPort', 'extraStatTags', 'gatewayTopology', 'terminationDrainDuration',
  'meshId', 'readinessProbe', 'proxyStatsMatcher', 'holdApplicationUntilProxyStarts', 'caCertificatesPem', 'image',
  'privateKeyProvider', 'proxyHeaders', 'fileFlushInterval', 'fileFlushMinSizeKb',
];

const DURATION_FIELDS = new Set(['drainDuration', 'parentShutdownDuration', 'discoveryRefreshDelay', 'terminationDrainDuration', 'fileFlushInterval']);

/**
 * The ProxyConfig as the PROXY_CONFIG variable carries it: the set fields in proto order, with
 * durations in protobuf's JSON form (`1m` → `60s`), so that pilot-agent reads what Istio writes.
 */
export function proxyConfigJson(config: ProxyConfig): string {
  const rank = (key: string) => {
    const index = PROXY_CONFIG_FIELDS.indexOf(key);
    return index < 0 ? PROXY_CONFIG_FIELDS.length : index;
  };
  const keys = Object.keys(config).sort((a, b) => rank(a) - rank(b) || compareCodeUnits(a, b));
  return JSON.stringify(
    Object.fromEntries(keys.map((key) => [key, DURATION_FIELDS.has(key) ? protoDuration(config[key]) : config[key]])),
  );
}

/** A Go duration (`1m30s`, `500ms`) as protobuf JSON writes it: seconds, with 0, 3, 6 or 9 decimals. */
export function protoDuration(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const nanos = goDurationNanos(value);
  // Negative durations mean nothing for these fields; they pass through for Istio to refuse.
  if (nanos === undefined || nanos < 0) return value;
  const seconds = Math.trunc(nanos / 1e9);
  const fraction = nanos % 1e9;
  if (fraction === 0) return `${seconds}s`;
  const digits = String(fraction).padStart(9, '0');
  const decimals = fraction % 1e6 === 0 ? digits.slice(0, 3) : fraction % 1e3 === 0 ? digits.slice(0, 6) : digits;
  return `${seconds}.${decimals}s`;
}
