import type { Container, Probe, ProbeAction } from './pod-types.js';

/** The URLs under which the sidecar's pilot-agent serves an application container's probes and hooks. */
export function proberUrls(container: string) {
  return {
    readiness: `/app-health/${container}/readyz`,
    liveness: `/app-health/${container}/livez`,
    startup: `/app-health/${container}/startupz`,
    preStop: `/app-lifecycle/${container}/prestopz`,
    postStart: `/app-lifecycle/${container}/poststartz`,
  };
}

const PROBES = [
  ['readinessProbe', 'readiness'],
  ['livenessProbe', 'liveness'],
  ['startupProbe', 'startup'],
] as const;
const HOOKS = [
  ['preStop', 'preStop'],
  ['postStart', 'postStart'],
] as const;

/**
 * What pilot-agent must forward for each rewritten probe (the ISTIO_KUBE_APP_PROBERS value): the
 * original HTTP/TCP/gRPC check, with named ports resolved. Empty when nothing is rewritten.
 */
export function appProbers(containers: readonly Container[], statusPort: number): string {
  const probers: Record<string, unknown> = {};
  for (const container of containers) {
    if (container?.name === 'istio-proxy') continue;
    const urls = proberUrls(container.name);
    const ports = new Map<string, number>();
    for (const port of container.ports ?? []) if (port?.name) ports.set(port.name, port.containerPort);
    for (const [field, url] of PROBES) {
      const prober = forwardedCheck(container[field], ports, statusPort);
      if (prober) probers[urls[url]] = prober;
    }
    for (const [field, url] of HOOKS) {
      const prober = forwardedCheck(container.lifecycle?.[field], ports, statusPort);
      if (prober) probers[urls[url]] = prober;
    }
  }
  const keys = Object.keys(probers).sort();
  if (keys.length === 0) return '';
  return JSON.stringify(Object.fromEntries(keys.map((key) => [key, probers[key]])));
}

/** The check as Istio's Prober struct serializes it (httpGet, tcpSocket, grpc, timeoutSeconds). */
function forwardedCheck(probe: Probe | undefined, ports: Map<string, number>, statusPort: number): object | undefined {
  if (!probe) return undefined;
  // Go writes GRPCAction's service pointer even when unset.
  if (probe.grpc) return withTimeout({ grpc: { port: probe.grpc.port, service: probe.grpc.service ?? null } }, probe);
  const handler = probe.httpGet ? 'httpGet' : probe.tcpSocket ? 'tcpSocket' : undefined;
  if (!handler) return undefined;
  const check = probe[handler]!;
  let port = check.port;
  if (typeof port === 'string' && !/^\d+$/.test(port)) {
    port = ports.get(port);
    if (port === undefined) return undefined;
  } else if (Number(port) === statusPort) {
    return undefined; // already rewritten
  }
  const action =
    handler === 'httpGet'
      ? orderedHttpGet({ ...probe.httpGet, port: Number(port) })
      : { ...(check.host ? { host: check.host } : {}), port: Number(port) };
  return withTimeout({ [handler]: action }, probe);
}

function orderedHttpGet(get: ProbeAction): object {
  const ordered: Record<string, unknown> = {};
  for (const key of ['path', 'port', 'host', 'scheme', 'httpHeaders']) if (get[key] !== undefined && get[key] !== '') ordered[key] = get[key];
  return ordered;
}

function withTimeout(check: Record<string, unknown>, probe: Probe): object {
  return probe.timeoutSeconds ? { ...check, timeoutSeconds: probe.timeoutSeconds } : check;
}

/** The probe as the kubelet now sends it: an HTTP GET to pilot-agent's status port. */
function rewritten(probe: Probe | undefined, url: string, statusPort: number): Probe | undefined {
  if (!probe || !(probe.httpGet || probe.tcpSocket || probe.grpc)) return probe;
  const { tcpSocket: _tcp, grpc: _grpc, httpGet, ...rest } = probe;
  const get: Record<string, unknown> = { ...(httpGet ?? {}), path: url, port: statusPort };
  if (get.scheme === 'HTTPS') get.scheme = 'HTTP';
  return { ...rest, httpGet: get };
}

/** Application containers with their HTTP/TCP/gRPC probes and hooks pointed at pilot-agent. */
export function rewriteAppProbes(containers: readonly Container[], statusPort: number): Container[] {
  return containers.map((container) => {
    if (container?.name === 'istio-proxy') return container;
    const urls = proberUrls(container.name);
    const result: Record<string, unknown> = { ...container };
    for (const [field, url] of PROBES) if (container[field]) result[field] = rewritten(container[field], urls[url], statusPort);
    if (container.lifecycle) {
      const lifecycle: Record<string, unknown> = { ...container.lifecycle };
      for (const [field, url] of HOOKS) if (container.lifecycle[field]) lifecycle[field] = rewritten(container.lifecycle[field], urls[url], statusPort);
      result.lifecycle = lifecycle;
    }
    return result as Container;
  });
}
