import { parseYamlMap } from './parse-manifests.js';
import { ISTIO_SYSTEM_NAMESPACE } from './namespaces.js';

/** The parts of Istio's ProxyConfig meshform reads (the rest passes through to the proxy's PROXY_CONFIG). */
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

/** The parts of Istio's MeshConfig that the analyzer and the injector read. */
export interface MeshConfig {
  /** @default 'istio-system' */
  readonly rootNamespace?: string;
  readonly defaultProviders?: {
    readonly accessLogging?: readonly string[];
    readonly tracing?: readonly string[];
    readonly metrics?: readonly string[];
  };
  /** The proxy settings every pod starts from, under its own `proxy.istio.io/config`. */
  readonly defaultConfig?: ProxyConfig;
  readonly trustDomain?: string;
  readonly enablePrometheusMerge?: boolean;
  /** The `istio` label value of the mesh's ingress gateway pods. @default 'ingressgateway' */
  readonly ingressSelector?: string;
  readonly [key: string]: unknown;
}

export function rootNamespaceOf(config: MeshConfig | undefined): string {
  return config?.rootNamespace || ISTIO_SYSTEM_NAMESPACE;
}

/** Parses a mesh config file: the MeshConfig itself, or the `istio` ConfigMap holding it under `data.mesh`. */
export function parseMeshConfig(text: string, source = 'mesh config'): MeshConfig {
  const value = parseYamlMap(text, source, { what: 'a MeshConfig', example: 'rootNamespace: istio-system' });
  const configMap = value as { kind?: string; data?: { mesh?: string } };
  if (configMap.kind === 'ConfigMap') return parseMeshConfig(configMap.data?.mesh ?? '', `${source} data.mesh`);
  return value as MeshConfig;
}
