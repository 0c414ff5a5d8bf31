import {
  arrayOf,
  type KubeObject,
  type Labels,
  type MeshConfig,
  nameOf,
  namespaceOf,
  rootNamespaceOf,
  selectorMatches,
  serviceFqdn,
  servicePortProtocol,
} from '../core/index.js';
import { compareCreation } from '../analysis/resources/creation-order.js';
import { meshRouteVirtualServices } from '../analysis/resources/gateway-api-routes.js';
import { ingressDerivedConfig } from '../analysis/resources/kubernetes-ingress.js';
import { KINDS, ResourceIndex } from '../analysis/resources/resource-index.js';

/** How a proxy treats a port: HTTP routing, opaque TCP, TLS by SNI, or sniffing ("auto"). */
export type PortProtocol = 'http' | 'tcp' | 'tls' | 'auto' | 'udp';

export interface CatalogPort {
  readonly number: number;
  readonly name: string;
  readonly protocol: PortProtocol;
  /** The endpoint port as written: a number, a container port name, or unset (= number). */
  readonly targetPort?: number | string;
}

/** A host the mesh routes to: a Kubernetes Service or one host of a ServiceEntry. */
export interface CatalogService {
  /** The fully qualified host (`reviews.shop.svc.cluster.local`, `api.stripe.com`). */
  readonly hostname: string;
  readonly namespace: string;
  readonly ports: readonly CatalogPort[];
  /** VIPs or CIDRs: the Service's cluster IPs, a ServiceEntry's addresses. */
  readonly addresses: readonly string[];
  readonly object: KubeObject;
  readonly exportTo: readonly string[];
  /** The pods a Kubernetes Service (or a ServiceEntry's workloadSelector) selects. */
  readonly selector?: Labels;
  /** The host an ExternalName Service is an alias of. */
  readonly aliasOf?: string;
  readonly meshExternal: boolean;
  /** A ServiceEntry's endpoints, by address. */
  readonly endpoints: readonly { readonly address: string; readonly labels: Labels; readonly ports: Readonly<Record<string, number>> }[];
}

/** A service port whose endpoints include a proxy, and the port the proxy's workload listens on. */
export interface ServiceTarget {
  readonly service: CatalogService;
  readonly port: CatalogPort;
  readonly targetPort: number;
}

/** An Istio config object's `spec.exportTo`, as strings (empty: exported everywhere). */
export function exportToOf(object: KubeObject): string[] {
  return arrayOf<unknown>(object.spec?.exportTo).map(String);
}

/**
 * Config in the order Istio gives a proxy in `namespace`: what is private to that namespace
 * (exported only to it) first, then the rest, each as ordered already.
 */
export function privateFirst(objects: readonly KubeObject[], namespace: string): KubeObject[] {
  const isPrivate = (object: KubeObject) => {
    const scopes = exportToOf(object);
    return namespaceOf(object) === namespace && scopes.length > 0 && scopes.every((scope) => scope === '.' || scope === namespace);
  };
  return [...objects.filter(isPrivate), ...objects.filter((object) => !isPrivate(object))];
}

/** True when config exported with `exportTo` from `namespace` is visible in `client`. */
export function exportedTo(exportTo: readonly string[], namespace: string, client: string): boolean {
  if (exportTo.length === 0) return true;
  return exportTo.some((scope) => scope === '*' || scope === client || (scope === '.' && namespace === client));
}

function portProtocol(protocol: string | undefined): PortProtocol {
  switch (protocol?.toLowerCase()) {
    case undefined:
    case '':
      return 'auto';
    case 'http':
    case 'http2':
    case 'grpc':
    case 'grpc-web':
    case 'http_proxy':
      return 'http';
    case 'https':
    case 'tls':
      return 'tls';
    case 'udp':
      return 'udp';
    default:
      return 'tcp';
  }
}

/** The number of a named container port in a pod spec. */
export function containerPort(spec: { containers?: unknown } | undefined, name: string): number | undefined {
  for (const container of list<Record<string, unknown>>(spec?.containers)) {
    for (const port of list<Record<string, unknown>>(container.ports)) if (port.name === name) return Number(port.containerPort);
  }
  return undefined;
}

const list = arrayOf;
const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/**
 * The manifests as the tracer reads them: objects by kind through the analyzer's index, config in
 * Istio's creation order, and the hosts of the service registry.
 */
export class MeshInputs {
  public readonly index: ResourceIndex;
  public readonly rootNamespace: string;
  public readonly services: readonly CatalogService[];
  private readonly byHost = new Map<string, CatalogService[]>();
  private readonly ordered = new Map<string, readonly KubeObject[]>();

  public constructor(
    objects: readonly KubeObject[],
    public readonly meshConfig: MeshConfig = {},
  ) {
    // Istio serves Kubernetes Ingresses, and HTTPRoutes on Services, through the config it derives from them.
    this.index = new ResourceIndex([...objects, ...ingressDerivedConfig(objects, meshConfig), ...meshRouteVirtualServices(objects)]);
    this.rootNamespace = rootNamespaceOf(meshConfig);
    this.services = [...this.kubernetesServices(), ...this.serviceEntryHosts()];
    for (const service of this.services) {
      const same = this.byHost.get(service.hostname);
      if (same) same.push(service);
      else this.byHost.set(service.hostname, [service]);
    }
  }

  /** Objects of a kind (`KINDS.*`), oldest first as Istio orders config. */
  public inCreationOrder(kind: string): readonly KubeObject[] {
    let sorted = this.ordered.get(kind);
    if (!sorted) this.ordered.set(kind, (sorted = [...this.index.ofKind(kind)].sort(compareCreation)));
    return sorted;
  }

  /**
   * The service a client in `namespace` reaches by `hostname`: its own namespace's first, a
   * Kubernetes Service before a ServiceEntry, then the oldest (Istio's sidecar scope).
   */
  public service(hostname: string, namespace: string): CatalogService | undefined {
    const candidates = (this.byHost.get(hostname.toLowerCase()) ?? []).filter((service) => this.visible(service, namespace));
    return candidates.sort(
      (a, b) => Number(b.namespace === namespace) - Number(a.namespace === namespace) || Number(b.object.kind === 'Service') - Number(a.object.kind === 'Service') || compareCreation(a.object, b.object),
    )[0];
  }

  public visible(service: CatalogService, namespace: string): boolean {
    return exportedTo(service.exportTo, service.namespace, namespace);
  }


  /**
   * The service ports whose endpoints are this pod (Istio's proxy ServiceTargets): Services of
   * its namespace that select it, selector-less Services whose EndpointSlices list its IP, and
   * ServiceEntries whose endpoints are its IP or whose workloadSelector selects it.
   */
  public targetsOf(proxy: { readonly namespace: string; readonly labels: Labels; readonly ips: readonly string[] }): ServiceTarget[] {
    const targets: ServiceTarget[] = [];
    const pod = this.index.podsIn(proxy.namespace).find((view) => proxy.ips.includes(text((view.owner.status as { podIP?: unknown } | undefined)?.podIP))) ?? this.index.podsMatching(proxy.labels, proxy.namespace)[0];
    for (const service of this.services) {
      if (service.object.kind === 'Service') {
        if (service.namespace !== proxy.namespace || service.aliasOf) continue;
        if (service.selector && Object.keys(service.selector).length > 0) {
          if (!selectorMatches(service.selector, proxy.labels)) continue;
          for (const port of service.ports) {
            const target = port.targetPort;
            const number = typeof target === 'number' ? target : typeof target === 'string' && target !== '' ? containerPort(pod?.spec, target) : port.number;
            if (number !== undefined && !Number.isNaN(Number(number))) targets.push({ service, port, targetPort: Number(number) });
          }
        } else {
          for (const slice of this.index.ofKind('discovery.k8s.io/EndpointSlice')) {
            if (namespaceOf(slice) !== proxy.namespace || slice.metadata?.labels?.['kubernetes.io/service-name'] !== nameOf(service.object)) continue;
            const endpoints = list<Record<string, unknown>>((slice as { endpoints?: unknown }).endpoints);
            if (!endpoints.some((endpoint) => list<unknown>(endpoint.addresses).some((address) => proxy.ips.includes(text(address))))) continue;
            for (const slicePort of list<Record<string, unknown>>((slice as { ports?: unknown }).ports)) {
              const port = service.ports.find((candidate) => candidate.name === text(slicePort.name));
              if (port) targets.push({ service, port, targetPort: Number(slicePort.port) });
            }
          }
        }
      } else {
        const viaEndpoint = service.endpoints.find((endpoint) => proxy.ips.includes(endpoint.address));
        const viaSelector = service.selector && service.namespace === proxy.namespace && selectorMatches(service.selector, proxy.labels);
        if (!viaEndpoint && !viaSelector) continue;
        for (const port of service.ports) {
          targets.push({ service, port, targetPort: viaEndpoint?.ports[port.name] ?? (typeof port.targetPort === 'number' && port.targetPort > 0 ? port.targetPort : port.number) });
        }
      }
    }
    return targets;
  }

  private *kubernetesServices(): Iterable<CatalogService> {
    for (const service of this.index.ofKind(KINDS.Service)) {
      const namespace = namespaceOf(service);
      const spec = service.spec ?? {};
      const exportTo = text(service.metadata?.annotations?.['networking.istio.io/exportTo']);
      const clusterIps = [text(spec.clusterIP), ...list<unknown>(spec.clusterIPs).map(text)].filter((ip) => ip !== '' && ip !== 'None');
      const isAlias = spec.type === 'ExternalName' && typeof spec.externalName === 'string';
      yield {
        hostname: serviceFqdn(nameOf(service), namespace),
        namespace,
        ports: list<Record<string, unknown>>(spec.ports).map((port) => ({
          number: Number(port.port),
          name: text(port.name),
          protocol: portProtocol(servicePortProtocol({ port: Number(port.port), name: text(port.name), protocol: text(port.protocol), appProtocol: text(port.appProtocol) || undefined })),
          ...(port.targetPort !== undefined ? { targetPort: port.targetPort as number | string } : {}),
        })),
        addresses: [...new Set(clusterIps)],
        object: service,
        exportTo: exportTo ? exportTo.split(',').map((scope) => scope.trim()) : [],
        ...(spec.selector && typeof spec.selector === 'object' ? { selector: spec.selector as Labels } : {}),
        ...(isAlias ? { aliasOf: String(spec.externalName).toLowerCase() } : {}),
        meshExternal: false,
        endpoints: [],
      };
    }
  }

  private *serviceEntryHosts(): Iterable<CatalogService> {
    for (const entry of this.index.ofKind(KINDS.ServiceEntry)) {
      const namespace = namespaceOf(entry);
      const spec = entry.spec ?? {};
      const ports: CatalogPort[] = list<Record<string, unknown>>(spec.ports).map((port) => ({
        number: Number(port.number),
        name: text(port.name),
        protocol: portProtocol(text(port.protocol) || undefined),
        ...(port.targetPort !== undefined ? { targetPort: Number(port.targetPort) } : {}),
      }));
      const endpoints = list<Record<string, unknown>>(spec.endpoints).map((endpoint) => ({
        address: text(endpoint.address),
        labels: (endpoint.labels ?? {}) as Labels,
        ports: (endpoint.ports ?? {}) as Record<string, number>,
      }));
      for (const host of list<unknown>(spec.hosts).map(text)) {
        yield {
          hostname: host.toLowerCase(),
          namespace,
          ports,
          addresses: list<unknown>(spec.addresses).map(text),
          object: entry,
          exportTo: list<unknown>(spec.exportTo).map(text),
          ...(spec.workloadSelector?.labels ? { selector: spec.workloadSelector.labels as Labels } : {}),
          meshExternal: spec.location !== 'MESH_INTERNAL',
          endpoints,
        };
      }
    }
  }

  /** True when a policy's `selector.matchLabels` (or a Sidecar's `workloadSelector`) selects these labels; no selector selects all. */
  public static selects(object: KubeObject, labels: Labels): boolean {
    const selector = object.spec?.workloadSelector?.labels ?? object.spec?.selector?.matchLabels ?? object.spec?.selector;
    return selector === undefined || selector === null || selectorMatches(selector as Labels, labels);
  }
}
