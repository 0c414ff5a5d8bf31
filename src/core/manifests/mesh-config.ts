import { MeshformError } from '../errors.js';
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
  const problems = shapeProblems(value, MESH_CONFIG_SHAPE, '');
  if (problems.length > 0) {
    throw new MeshformError(`${source}: ${problems.join('; ')}`, { fix: "Give each field the type of Istio's MeshConfig (see istio.io's mesh configuration reference)." });
  }
  return value as MeshConfig;
}

/** What is wrong with a ProxyConfig (`defaultConfig`, a `proxy.istio.io/config` annotation), field by field. */
export function proxyConfigProblems(value: unknown): string[] {
  return shapeProblems(value, PROXY_CONFIG_SHAPE, '');
}

// The types of the fields meshform reads, as Istio's protobuf JSON parsing takes them; other
// fields pass through to the proxy unread.
type Shape = 'string' | 'boolean' | 'integer' | 'map' | 'strings' | 'stringMap' | { readonly oneOf: readonly string[] } | { readonly [field: string]: Shape };

const PROXY_CONFIG_SHAPE: Shape = {
  interceptionMode: { oneOf: ['REDIRECT', 'TPROXY', 'NONE'] },
  holdApplicationUntilProxyStarts: 'boolean',
  proxyMetadata: 'stringMap',
  statusPort: 'integer',
  concurrency: 'integer',
  drainDuration: 'string',
  terminationDrainDuration: 'string',
  tracing: 'map',
  proxyStatsMatcher: { inclusionPrefixes: 'strings', inclusionSuffixes: 'strings', inclusionRegexps: 'strings' },
};

const MESH_CONFIG_SHAPE: Shape = {
  rootNamespace: 'string',
  trustDomain: 'string',
  ingressSelector: 'string',
  enablePrometheusMerge: 'boolean',
  defaultProviders: { accessLogging: 'strings', tracing: 'strings', metrics: 'strings' },
  defaultConfig: PROXY_CONFIG_SHAPE,
  outboundTrafficPolicy: { mode: { oneOf: ['REGISTRY_ONLY', 'ALLOW_ANY', 'ALLOW_ANY_DYNAMIC_DNS'] } },
};

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function shapeProblems(value: unknown, shape: Shape, path: string): string[] {
  if (value === null || value === undefined) return [];
  const at = path || 'the value';
  const wrong = (expected: string) => [`${at} is ${JSON.stringify(value)?.slice(0, 40)}, not ${expected}`];
  if (shape === 'string') return typeof value === 'string' ? [] : wrong('a string');
  if (shape === 'boolean') return typeof value === 'boolean' ? [] : wrong('true or false');
  // protobuf JSON takes an integer as a number or a string of digits.
  if (shape === 'integer') return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d{1,10}$/.test(value)) ? [] : wrong('a whole number');
  if (shape === 'map') return isMap(value) ? [] : wrong('a map');
  if (shape === 'strings') return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [] : wrong('a list of strings');
  if (shape === 'stringMap') return isMap(value) && Object.values(value).every((item) => typeof item === 'string') ? [] : wrong('a map of strings');
  if ('oneOf' in shape && Array.isArray(shape.oneOf)) return shape.oneOf.includes(value as string) ? [] : wrong(`one of ${shape.oneOf.join(', ')}`);
  if (!isMap(value)) return wrong('a map');
  const fields = shape as { readonly [field: string]: Shape };
  return Object.keys(fields).flatMap((field) => shapeProblems(value[field], fields[field]!, path ? `${path}.${field}` : field));
}
