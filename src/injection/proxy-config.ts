import { parse } from 'yaml';
import { MeshformError } from '../core/index.js';

/** The parts of Istio's ProxyConfig the injector reads (the rest passes through to PROXY_CONFIG). */
export interface ProxyConfig {
  readonly interceptionMode?: 'REDIRECT' | 'TPROXY' | 'NONE';
  readonly holdApplicationUntilProxyStarts?: boolean;
  readonly proxyMetadata?: Readonly<Record<string, string>>;
  readonly statusPort?: number;
  readonly proxyStatsMatcher?: {
    readonly inclusionPrefixes?: readonly string[];
    readonly inclusionSuffixes?: readonly string[];
    readonly inclusionRegexps?: readonly string[];
  };
  readonly concurrency?: number;
  readonly drainDuration?: string;
  readonly tracing?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

/** The mesh settings injection reads. */
export interface InjectionMeshConfig {
  readonly defaultConfig?: ProxyConfig;
  readonly trustDomain?: string;
  readonly enablePrometheusMerge?: boolean;
  readonly [field: string]: unknown;
}

/**
 * The proxy's effective config: the mesh's defaultConfig with the pod's `proxy.istio.io/config`
 * annotation on top (maps merged, like Istio's ApplyProxyConfig).
 */
export function effectiveProxyConfig(mesh: InjectionMeshConfig, annotation: string | undefined, where: string): ProxyConfig {
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

/** The ProxyConfig as the PROXY_CONFIG variable carries it: JSON with the fields that are set. */
export function proxyConfigJson(config: ProxyConfig): string {
  return JSON.stringify(config);
}
