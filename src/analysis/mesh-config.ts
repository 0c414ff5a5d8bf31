import { parse } from 'yaml';
import { MeshformError } from '../core/index.js';

/** The parts of Istio's MeshConfig the analyzers read. */
export interface MeshConfig {
  /** @default 'istio-system' */
  readonly rootNamespace?: string;
  readonly defaultProviders?: {
    readonly accessLogging?: readonly string[];
    readonly tracing?: readonly string[];
    readonly metrics?: readonly string[];
  };
  readonly defaultConfig?: {
    readonly proxyMetadata?: Readonly<Record<string, string>>;
  };
  readonly [key: string]: unknown;
}

export const DEFAULT_ROOT_NAMESPACE = 'istio-system';

export function rootNamespaceOf(config: MeshConfig | undefined): string {
  return config?.rootNamespace || DEFAULT_ROOT_NAMESPACE;
}

/** Parses a mesh config file: the MeshConfig itself, or the `istio` ConfigMap holding it under `data.mesh`. */
export function parseMeshConfig(text: string, source = 'mesh config'): MeshConfig {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new MeshformError(`${source} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MeshformError(`${source} is not a MeshConfig`, { fix: 'Give a YAML map such as "rootNamespace: istio-system".' });
  }
  const configMap = value as { kind?: string; data?: { mesh?: string } };
  if (configMap.kind === 'ConfigMap') return parseMeshConfig(configMap.data?.mesh ?? '', `${source} data.mesh`);
  return value as MeshConfig;
}
