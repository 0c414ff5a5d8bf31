import { ISTIO_SYSTEM_NAMESPACE, MeshformError } from '../core/index.js';

/**
 * The Helm values of Istio's injector that the sidecar template reads, with Istio's defaults
 * (istio-discovery chart). A `--values` file or the `values` option overrides any of them.
 */
export interface InjectionValues {
  readonly revision: string;
  readonly global: {
    readonly hub: string;
    readonly tag: string;
    readonly variant: string;
    readonly imagePullPolicy: string;
    readonly imagePullSecrets: readonly string[];
    readonly istioNamespace: string;
    readonly caAddress: string;
    readonly pilotCertProvider: string;
    readonly trustDomain: string;
    readonly meshID: string;
    readonly network: string;
    readonly logAsJson: boolean;
    readonly logging: { readonly level: string };
    readonly multiCluster: { readonly clusterName: string };
    readonly sds: { readonly token: { readonly aud: string } };
    readonly sts: { readonly servicePort: number };
    readonly nativeNftables: boolean;
    readonly proxy: {
      readonly image: string;
      readonly clusterDomain: string;
      readonly logLevel: string;
      readonly componentLogLevel: string;
      readonly includeIPRanges: string;
      readonly excludeIPRanges: string;
      readonly includeInboundPorts: string;
      readonly excludeInboundPorts: string;
      readonly includeOutboundPorts: string;
      readonly excludeOutboundPorts: string;
      readonly statusPort: number;
      readonly privileged: boolean;
      readonly readinessInitialDelaySeconds: number;
      readonly readinessPeriodSeconds: number;
      readonly readinessFailureThreshold: number;
      readonly startupProbe: { readonly enabled: boolean; readonly failureThreshold: number };
      readonly holdApplicationUntilProxyStarts: boolean;
      readonly capNetBindService: boolean;
      readonly resources: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
      readonly lifecycle?: Record<string, unknown>;
      readonly outlierLogPath: string;
    };
    readonly proxy_init: { readonly image: string; readonly forceApplyIptables: boolean };
  };
  readonly pilot: { readonly cni: { readonly enabled: boolean; readonly provider: string } };
  readonly sidecarInjectorWebhook: { readonly rewriteAppHTTPProbe: boolean };
}

export const DEFAULT_INJECTION_VALUES: InjectionValues = {
  revision: '',
  global: {
    hub: 'docker.io/istio',
    tag: '1.29.0',
    variant: '',
    imagePullPolicy: '',
    imagePullSecrets: [],
    istioNamespace: ISTIO_SYSTEM_NAMESPACE,
    caAddress: '',
    pilotCertProvider: 'istiod',
    trustDomain: 'cluster.local',
    meshID: '',
    network: '',
    logAsJson: false,
    logging: { level: 'default:info' },
    multiCluster: { clusterName: '' },
    sds: { token: { aud: 'istio-ca' } },
    sts: { servicePort: 0 },
    nativeNftables: false,
    proxy: {
      image: 'proxyv2',
      clusterDomain: 'cluster.local',
      logLevel: 'warning',
      componentLogLevel: 'misc:error',
      includeIPRanges: '*',
      excludeIPRanges: '',
      includeInboundPorts: '*',
      excludeInboundPorts: '',
      includeOutboundPorts: '',
      excludeOutboundPorts: '',
      statusPort: 15020,
      privileged: false,
      readinessInitialDelaySeconds: 0,
      readinessPeriodSeconds: 15,
      readinessFailureThreshold: 4,
      startupProbe: { enabled: true, failureThreshold: 600 },
      holdApplicationUntilProxyStarts: false,
      capNetBindService: false,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
      outlierLogPath: '',
    },
    proxy_init: { image: 'proxyv2', forceApplyIptables: false },
  },
  pilot: { cni: { enabled: false, provider: 'default' } },
  sidecarInjectorWebhook: { rewriteAppHTTPProbe: true },
};

/** Any subset of an object's fields, at every depth (lists are replaced whole). */
export type DeepPartial<T> = { readonly [K in keyof T]?: T[K] extends object ? (T[K] extends readonly unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

/** Values to override: any subset of InjectionValues, as in a Helm values file. */
export type InjectionValuesOverride = DeepPartial<InjectionValues>;

/** Istio's defaults with `override` merged in (maps merged, lists and scalars replaced). */
export function resolveValues(override: InjectionValuesOverride | undefined): InjectionValues {
  const problems = valuesProblems(DEFAULT_INJECTION_VALUES, override ?? {}, '');
  if (problems.length > 0) {
    throw new MeshformError(`injection values: ${problems.join('; ')}`, {
      fix: "Give each value the type of the injector's Helm values (istio-discovery's values.yaml): maps as maps, switches as true or false.",
    });
  }
  return deepMerge(DEFAULT_INJECTION_VALUES, override ?? {}) as InjectionValues;
}

/** Where an override's value has another type than the default it replaces (values the template reads). */
function valuesProblems(base: unknown, override: unknown, path: string): string[] {
  if (override === undefined) return [];
  const at = path || 'the values';
  const wrong = (expected: string) => [`${at} is ${JSON.stringify(override)?.slice(0, 40)}, not ${expected}`];
  if (isPlainObject(base)) {
    if (!isPlainObject(override)) return wrong('a map');
    return Object.entries(override).flatMap(([key, value]) => valuesProblems(base[key], value, path ? `${path}.${key}` : key));
  }
  if (typeof base === 'boolean' && typeof override !== 'boolean') return wrong('true or false');
  // Helm renders numbers and strings alike (a tag of 1.29), so only structure is refused there.
  if ((typeof base === 'string' || typeof base === 'number') && (override === null || typeof override === 'object')) return wrong('a scalar');
  return [];
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = deepMerge(base[key], value);
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
