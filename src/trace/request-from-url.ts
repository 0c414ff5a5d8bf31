import { type KubeObject, type Labels, MeshformError, nameOf, namespaceOf, resolveHost, selectorMatches, wildcardCovers } from '../core/index.js';
import { KINDS } from '../analysis/resources/resource-index.js';
import type { MeshInputs } from './mesh-inputs.js';
import { type TraceRequest, UNOWNED_ADDRESS } from './trace-request.js';

/** A request as a person writes it: a URL, and where it starts. */
export interface UrlRequest {
  /** `https://shop.example.com/api/cart`, `http://reviews:9080/reviews/1`, `tcp://db:5432`. */
  readonly url: string;
  /**
   * `Kind namespace/name` of the calling workload.
   * @default - the request enters at the ingress gateway that serves the host
   */
  readonly from?: string;
  /** @default 'GET' */
  readonly method?: string;
  /** @default - none */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default - the URL's host, for https */
  readonly sni?: string;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** Turns a URL and a starting point into the explicit request the tracer reads; the second value holds what had to be assumed. */
export function requestFromUrl(inputs: MeshInputs, request: UrlRequest): { request: TraceRequest; notes: string[] } {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new MeshformError(`"${request.url}" is not a URL`, { field: 'url', fix: 'Give a URL such as https://shop.example.com/api or tcp://db.data:5432.' });
  }
  if (!['http:', 'https:', 'tcp:'].includes(url.protocol)) throw new MeshformError(`the scheme ${url.protocol} cannot be traced`, { field: 'url', fix: 'Use http://, https:// or tcp://.' });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  if (port === undefined) throw new MeshformError(`${request.url} names no port`, { field: 'url', fix: 'Give the port: tcp://host:port.' });
  const protocol = url.protocol === 'https:' ? 'https' : url.protocol === 'tcp:' ? 'tcp' : 'http';
  const common = {
    host: url.port ? `${host}:${url.port}` : host,
    path: `${url.pathname}${url.search}`,
    method: request.method ?? 'GET',
    headers: request.headers ?? {},
    protocol,
    ...(protocol === 'https' ? { sni: request.sni ?? host } : {}),
  } as const;
  const notes: string[] = [];
  if (request.from) {
    const workload = findWorkload(inputs, request.from);
    const labels = podLabels(workload);
    const namespace = namespaceOf(workload);
    const fqdn = resolveHost(host, namespace).toLowerCase();
    const service = inputs.service(fqdn, namespace) ?? inputs.services.find((candidate) => candidate.hostname.startsWith(`${host.toLowerCase()}.svc.`));
    const address = service?.addresses.find((candidate) => !candidate.includes('/'));
    if (!address) notes.push(`The manifests hold no address for ${host} (Kubernetes assigns cluster IPs when Services are applied): the trace dials one no service owns, so an HTTP port routes by the Host header and other ports by what the port alone selects.`);
    return {
      request: {
        proxy: { kind: 'sidecar', namespace, labels, ips: [], serviceAccount: serviceAccountOf(workload), description: request.from },
        mode: 'outbound',
        port,
        address: address ?? UNOWNED_ADDRESS,
        ...common,
      },
      notes,
    };
  }
  const entry = ingressFor(inputs, host, port);
  if (!entry) throw new MeshformError(`no Gateway in the manifests serves ${host}`, { field: 'url', fix: 'Trace from a workload with --from Kind ns/name, or add the Gateway that serves this host.' });
  if (entry.assumed) notes.push(entry.assumed);
  if (entry.translated !== port) notes.push(`The gateway's Service sends port ${port} to port ${entry.translated} of its pods.`);
  return {
    request: {
      proxy: { kind: 'gateway', namespace: entry.namespace, labels: entry.labels, ips: [], serviceAccount: entry.serviceAccount, description: entry.description },
      mode: 'gateway',
      port: entry.translated,
      ...common,
    },
    notes,
  };
}

function findWorkload(inputs: MeshInputs, reference: string): KubeObject {
  const match = /^(\S+)\s+(?:([^/\s]+)\/)?(\S+)$/.exec(reference.trim());
  if (!match) throw new MeshformError(`"${reference}" does not name a workload`, { field: 'from', fix: 'Write it as "Kind namespace/name", e.g. "Deployment shop/web".' });
  const [, kind, namespace = 'default', name] = match;
  const found = inputs.index.objects.find((object) => object.kind === kind && namespaceOf(object) === namespace && nameOf(object) === name);
  if (!found) throw new MeshformError(`there is no ${kind} ${namespace}/${name} in the manifests`, { field: 'from', fix: 'Name a Deployment, StatefulSet, Pod … that the manifests hold.' });
  return found;
}

function podLabels(workload: KubeObject): Labels {
  const template = workload.kind === 'Pod' ? workload : workload.spec?.template ?? workload.spec?.jobTemplate?.spec?.template;
  return (template?.metadata?.labels ?? {}) as Labels;
}

function serviceAccountOf(workload: KubeObject): string {
  const spec = workload.kind === 'Pod' ? workload.spec : (workload.spec?.template ?? workload.spec?.jobTemplate?.spec?.template)?.spec;
  return String(spec?.serviceAccountName ?? 'default');
}

/** The gateway pods that serve a host on a port: the first Gateway (in creation order) with a matching server, the pods it selects, and the Service port they listen behind. */
function ingressFor(inputs: MeshInputs, host: string, port: number) {
  for (const gateway of inputs.inCreationOrder(KINDS.Gateway)) {
    const servers = Array.isArray(gateway.spec?.servers) ? (gateway.spec.servers as Record<string, any>[]) : [];
    const serves = servers.some((server) => (Array.isArray(server?.hosts) ? server.hosts : []).some((entry: unknown) => wildcardCovers(String(entry).slice(String(entry).indexOf('/') + 1), host)));
    if (!serves) continue;
    const selector = (gateway.spec?.selector ?? {}) as Labels;
    const pod = inputs.index.pods.find((candidate) => Object.keys(selector).length > 0 && selectorMatches(selector, candidate.labels));
    const labels = pod?.labels ?? selector;
    const namespace = pod?.namespace ?? inputs.rootNamespace;
    // The gateway's Service: its port that clients dial, and the target port the pod listens on.
    const service = inputs.services.find((candidate) => candidate.object.kind === 'Service' && candidate.namespace === namespace && candidate.selector && Object.keys(candidate.selector).length > 0 && selectorMatches(candidate.selector, labels));
    const servicePort = service?.ports.find((candidate) => candidate.number === port);
    const translated = typeof servicePort?.targetPort === 'number' ? servicePort.targetPort : port;
    // Istio's default install runs the ingress gateway as this account: policies name it.
    const installed = !pod && selector.istio === 'ingressgateway';
    return {
      namespace,
      labels,
      serviceAccount: String(pod?.spec?.serviceAccountName ?? (installed ? 'istio-ingressgateway-service-account' : 'default')),
      ...(pod ? {} : { assumed: `The gateway pods are not in the manifests: the trace assumes ${installed ? "Istio's default ingress gateway (istio-system, istio-ingressgateway-service-account)" : `pods in ${namespace} with the Gateway's selector and the default service account`}.` }),
      description: pod ? `${pod.owner.kind} ${pod.namespace}/${pod.name}` : `the pods of Gateway ${namespaceOf(gateway)}/${nameOf(gateway)} (${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')})`,
      translated,
    };
  }
  return undefined;
}
