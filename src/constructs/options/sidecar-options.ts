import { isCidr, istioDuration, MeshformError, re2Problem, assertOneOf } from '../../core/index.js';

/**
 * How a workload gets its sidecar: `auto` (Istio's webhook injects it at admission), `manual`
 * (the synthesized pod template already carries it, as `istioctl kube-inject` writes it), or
 * `disabled` (no sidecar).
 */
export type InjectionMode = 'auto' | 'manual' | 'disabled';

/** Every injection mode. */
export const INJECTION_MODES: readonly InjectionMode[] = ['auto', 'manual', 'disabled'];

/** Envoy stats to keep besides Istio's standard metrics (ProxyConfig proxyStatsMatcher). */
export interface StatsSelection {
  /** @default - none */
  readonly prefixes?: readonly string[];
  /** @default - none */
  readonly suffixes?: readonly string[];
  /** @default - none */
  readonly regexps?: readonly string[];
}

/** Resources of the istio-proxy container. */
export interface ProxyResources {
  /** @default - the mesh's (100m) */
  readonly cpu?: string;
  /** @default - the mesh's (128Mi) */
  readonly memory?: string;
  /** @default - the mesh's (2) */
  readonly cpuLimit?: string;
  /** @default - the mesh's (1Gi) */
  readonly memoryLimit?: string;
}

/** Per-workload settings of the Envoy sidecar, written as the annotations Istio reads. */
export interface ProxyOptions {
  /** @default - the mesh's */
  readonly resources?: ProxyResources;
  /**
   * Envoy's log level.
   * @default 'warning'
   */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'critical' | 'off';
  /**
   * Envoy worker threads; 0 means one per core.
   * @default 2
   */
  readonly concurrency?: number;
  /**
   * How long Envoy drains connections on shutdown, `'45s'` or milliseconds.
   * @default '45s'
   */
  readonly drainDuration?: string | number;
  /**
   * How long the proxy keeps serving after the pod is told to stop (classic layout), `'600s'`.
   * @default - Istio's (5s), or the pod's terminationGracePeriodSeconds when it sets one
   */
  readonly terminationDrainDuration?: string | number;
  /**
   * Which Envoy stats to keep ("choose metrics"): more stats, more memory in every proxy.
   * @default - Istio's standard set only
   */
  readonly stats?: StatsSelection;
  /**
   * Percentage (0–100) of requests this workload traces.
   * @default - the mesh's
   */
  readonly tracingSampling?: number;
  /** @default - none */
  readonly excludeOutboundPorts?: readonly number[];
  /** @default - none */
  readonly excludeInboundPorts?: readonly number[];
  /** @default - none */
  readonly excludeOutboundIPRanges?: readonly string[];
  /**
   * Only these outbound ranges go through the proxy.
   * @default - all ('*')
   */
  readonly includeOutboundIPRanges?: readonly string[];
  /**
   * Start the application containers only once the proxy is ready.
   * @default false
   */
  readonly holdApplicationUntilProxyStarts?: boolean;
}

/** The pod annotations that carry `options`, checked. */
export function proxyAnnotations(options: ProxyOptions | undefined, construct: string): Record<string, string> {
  if (!options) return {};
  const annotations: Record<string, string> = {};
  const resourceKeys = { cpu: 'proxyCPU', memory: 'proxyMemory', cpuLimit: 'proxyCPULimit', memoryLimit: 'proxyMemoryLimit' } as const;
  for (const [field, key] of Object.entries(resourceKeys)) {
    const value = options.resources?.[field as keyof ProxyResources];
    if (value !== undefined) annotations[`sidecar.istio.io/${key}`] = value;
  }
  if (options.logLevel) annotations['sidecar.istio.io/logLevel'] = assertOneOf(options.logLevel, ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'], { construct, field: 'proxy.logLevel' });
  const ports = (name: string, list: readonly number[] | undefined) => {
    if (!list) return;
    for (const port of list) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new MeshformError(`${port} is not a port number`, { construct, field: `proxy.${name}`, fix: 'Use whole numbers from 1 to 65535.' });
      }
    }
    annotations[`traffic.sidecar.istio.io/${name}`] = list.join(',');
  };
  const ranges = (name: string, key: string, list: readonly string[] | undefined) => {
    if (!list) return;
    const bad = list.filter((range) => range !== '*' && !isCidr(range));
    if (bad.length > 0) {
      throw new MeshformError(`${bad.map((b) => `"${b}"`).join(', ')} is not a CIDR range`, {
        construct,
        field: `proxy.${name}`,
        fix: `Write ranges as address/bits, e.g. "${bad[0]!.includes('/') ? '10.0.0.0/8' : `${bad[0]}/32`}".`,
      });
    }
    annotations[`traffic.sidecar.istio.io/${key}`] = list.join(',');
  };
  ports('excludeOutboundPorts', options.excludeOutboundPorts);
  ports('excludeInboundPorts', options.excludeInboundPorts);
  ranges('excludeOutboundIPRanges', 'excludeOutboundIPRanges', options.excludeOutboundIPRanges);
  ranges('includeOutboundIPRanges', 'includeOutboundIPRanges', options.includeOutboundIPRanges);
  const config = proxyConfig(options, construct);
  if (Object.keys(config).length > 0) annotations['proxy.istio.io/config'] = JSON.stringify(config);
  return annotations;
}

/** The ProxyConfig fields the options set, under Istio's names. */
function proxyConfig(options: ProxyOptions, construct: string): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (options.concurrency !== undefined) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 0) {
      throw new MeshformError(`concurrency ${options.concurrency} is not a whole number ≥ 0`, { construct, field: 'proxy.concurrency' });
    }
    config.concurrency = options.concurrency;
  }
  if (options.drainDuration !== undefined) config.drainDuration = istioDuration(options.drainDuration, { construct, field: 'proxy.drainDuration' });
  if (options.terminationDrainDuration !== undefined) {
    config.terminationDrainDuration = istioDuration(options.terminationDrainDuration, { construct, field: 'proxy.terminationDrainDuration' });
  }
  if (options.holdApplicationUntilProxyStarts !== undefined) config.holdApplicationUntilProxyStarts = options.holdApplicationUntilProxyStarts;
  if (options.stats) {
    const { prefixes, suffixes, regexps } = options.stats;
    // Envoy's stats matcher compiles these with RE2.
    (regexps ?? []).forEach((pattern, index) => {
      const problem = re2Problem(pattern);
      if (problem) throw new MeshformError(`"${pattern}" is not a valid RE2 regular expression (${problem})`, { construct, field: `proxy.stats.regexps[${index}]` });
    });
    config.proxyStatsMatcher = {
      ...(prefixes ? { inclusionPrefixes: [...prefixes] } : {}),
      ...(suffixes ? { inclusionSuffixes: [...suffixes] } : {}),
      ...(regexps ? { inclusionRegexps: [...regexps] } : {}),
    };
  }
  if (options.tracingSampling !== undefined) {
    if (!(options.tracingSampling >= 0 && options.tracingSampling <= 100)) {
      throw new MeshformError(`tracing sampling ${options.tracingSampling} is not a percentage`, {
        construct,
        field: 'proxy.tracingSampling',
        fix: 'Give a number from 0 to 100.',
      });
    }
    config.tracing = { sampling: options.tracingSampling };
  }
  return config;
}
