import type { InjectionValues } from '../injection-values.js';
import type { Container, ContainerPort, EnvVar, PodSpec, ResourceRequirements } from '../pod-types.js';
import { canonicalQuantity } from '../quantity.js';

/** The status port added to the excluded inbound ports unless already there (Istio's excludeInboundPort). */
export function excludeInboundPort(statusPort: string, excluded: string): string {
  const port = statusPort.trim();
  if (port === '' || port === '0') return excluded;
  const ports = excluded.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (excluded.split(',').includes(port)) return excluded;
  return [...ports, port].join(',');
}

/**
 * The proxy image: as given when it names a registry, otherwise `<hub>/<image>:<tag>` with the
 * variant (`sidecar.istio.io/proxyImageType` or the values' `global.variant`; `debug` is the plain image).
 */
export function imageFor(image: string, values: InjectionValues, imageType?: string): string {
  if (image.includes('/')) return image;
  const variant = imageType || values.global.variant;
  return `${values.global.hub}/${image}:${values.global.tag}${variant && variant !== 'debug' && variant !== 'default' ? `-${variant}` : ''}`;
}

export function proxyResources(annotations: Readonly<Record<string, string>>, defaults: InjectionValues['global']['proxy']['resources']): ResourceRequirements {
  const cpu = annotations['sidecar.istio.io/proxyCPU'];
  const memory = annotations['sidecar.istio.io/proxyMemory'];
  const cpuLimit = annotations['sidecar.istio.io/proxyCPULimit'];
  const memoryLimit = annotations['sidecar.istio.io/proxyMemoryLimit'];
  const pick = (entries: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined).map(([k, v]) => [k, canonicalQuantity(v!)]));
  if ([cpu, memory, cpuLimit, memoryLimit].some((v) => v !== undefined)) {
    const requests = pick({ cpu, memory });
    const limits = pick({ cpu: cpuLimit, memory: memoryLimit });
    return { ...(Object.keys(limits).length > 0 ? { limits } : {}), ...(Object.keys(requests).length > 0 ? { requests } : {}) };
  }
  return {
    ...(defaults.limits ? { limits: pick(defaults.limits) } : {}),
    ...(defaults.requests ? { requests: pick(defaults.requests) } : {}),
  };
}

/** The names of the pod's own containers (all but the proxy), in order. */
export function appContainerNames(spec: PodSpec): string[] {
  return (spec.containers ?? []).map((c) => c?.name).filter((name) => name !== 'istio-proxy');
}

/** `[\n    {…}\n    ,{…}\n]`: the container ports as the template writes ISTIO_META_POD_PORTS. */
export function podPortsJson(containers: readonly Container[]): string {
  const entries = containers.flatMap((c) => (c?.ports ?? []).map(containerPortJson));
  return `[${entries.map((entry, i) => `\n    ${i === 0 ? '' : ','}${entry}`).join('')}\n]`;
}

/** A ContainerPort as Go's encoding/json writes it: fields in struct order, empty ones left out. */
function containerPortJson(port: ContainerPort): string {
  const ordered: Record<string, unknown> = {};
  for (const key of ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP']) {
    const value = port?.[key as keyof ContainerPort];
    if (value !== undefined && value !== '' && value !== 0) ordered[key] = value;
  }
  return JSON.stringify(ordered);
}

export function metadataEnv(metadata: Readonly<Record<string, string>>): EnvVar[] {
  return Object.keys(metadata)
    .sort()
    .map((name) => ({ name, value: String(metadata[name]) }));
}

export function userJson(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  const parsed = JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(parsed).sort().map((key) => [key, parsed[key]]));
}

export function trimAll(value: string, characters: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && characters.includes(value[start]!)) start++;
  while (end > start && characters.includes(value[end - 1]!)) end--;
  return value.slice(start, end);
}

/** Drops keys whose value is undefined. */
export function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

/** Drops zero numbers, as Go's omitempty does for probe timings. */
function dropZero<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== 0)) as T;
}

/** Reads a pod annotation, falling back to a value of the injector's (Istio's `annotation` template function). */
export type AnnotationReader = (key: string, fallback: unknown) => string;

export function annotationReader(annotations: Readonly<Record<string, string>>): AnnotationReader {
  return (key, fallback) => (key in annotations ? annotations[key]! : String(fallback ?? ''));
}

/** pilot-agent's command line: `proxy <sidecar|router>` with the log levels the pod asks for. */
export function agentArgs(role: 'sidecar' | 'router', annotation: AnnotationReader, values: InjectionValues): string[] {
  const proxy = values.global.proxy;
  return [
    'proxy',
    role,
    '--domain',
    `$(POD_NAMESPACE).svc.${proxy.clusterDomain}`,
    `--proxyLogLevel=${annotation('sidecar.istio.io/logLevel', proxy.logLevel)}`,
    `--proxyComponentLogLevel=${annotation('sidecar.istio.io/componentLogLevel', proxy.componentLogLevel)}`,
    `--log_output_level=${annotation('sidecar.istio.io/agentLogLevel', values.global.logging.level)}`,
  ];
}

/** pilot-agent's readiness probe on `port`, with the pod's readiness annotations. */
export function agentReadinessProbe(annotation: AnnotationReader, values: InjectionValues, port: number): Record<string, unknown> {
  const proxy = values.global.proxy;
  return dropZero({
    httpGet: { path: '/healthz/ready', port },
    initialDelaySeconds: Number(annotation('readiness.status.sidecar.istio.io/initialDelaySeconds', proxy.readinessInitialDelaySeconds)),
    periodSeconds: Number(annotation('readiness.status.sidecar.istio.io/periodSeconds', proxy.readinessPeriodSeconds)),
    timeoutSeconds: 3,
    failureThreshold: Number(annotation('readiness.status.sidecar.istio.io/failureThreshold', proxy.readinessFailureThreshold)),
  });
}
