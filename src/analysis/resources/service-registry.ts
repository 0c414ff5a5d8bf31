import { type KubeObject, nameOf, namespaceOf, resolveHost } from '../../core/index.js';
import { KINDS, type ResourceIndex } from './resource-index.js';

/** Every namespace. */
export const ALL_NAMESPACES = '*';

/** A host the mesh can route to, with its ports: a ServiceEntry or a Kubernetes Service. */
export interface RegistryEntry {
  readonly source: KubeObject;
  readonly ports: readonly { number: number; name?: string; protocol?: string }[];
}

/**
 * The hosts visible in each namespace, as Istio's analyzers compute them: ServiceEntry hosts by
 * their exportTo, Kubernetes Services (as `name.ns.svc.cluster.local`) by their
 * `networking.istio.io/exportTo` annotation. Keys are `<scope>/<fqdn>`, scope a namespace or `*`.
 */
export class ServiceRegistry {
  private readonly entries = new Map<string, RegistryEntry>();

  public constructor(index: ResourceIndex) {
    for (const se of index.ofKind(KINDS.ServiceEntry)) {
      const namespace = namespaceOf(se);
      const exportTo: string[] = se.spec?.exportTo ?? [];
      const entry: RegistryEntry = {
        source: se,
        ports: (se.spec?.ports ?? []).map((p: any) => ({ number: p?.number, name: p?.name, protocol: p?.protocol })),
      };
      for (const host of (se.spec?.hosts ?? []) as string[]) {
        const fqdn = resolveHost(String(host), namespace);
        for (const scope of exportTo) {
          if (scope === ALL_NAMESPACES) continue;
          this.entries.set(`${scope === '.' ? namespace : scope}/${fqdn}`, entry);
        }
        if (exportTo.length === 0 || exportTo.includes(ALL_NAMESPACES)) this.entries.set(`${ALL_NAMESPACES}/${fqdn}`, entry);
      }
    }
    for (const service of index.ofKind(KINDS.Service)) {
      const namespace = namespaceOf(service);
      const entry: RegistryEntry = {
        source: service,
        ports: (service.spec?.ports ?? []).map((p: any) => ({ number: p?.port, name: p?.name, protocol: p?.protocol })),
      };
      const fqdn = resolveHost(nameOf(service), namespace);
      const exportTo = service.metadata?.annotations?.['networking.istio.io/exportTo'] ?? ALL_NAMESPACES;
      for (const raw of exportTo.split(',')) {
        const scope = raw.trim();
        this.entries.set(`${scope === '.' ? namespace : scope}/${fqdn}`, entry);
      }
    }
  }

  /**
   * The entry a route destination names, as util.GetDestinationHost finds it: a host exported to
   * all namespaces; else one exported to the VirtualService's namespace (no exportTo) or to any one
   * of the namespaces it is exported to; else a wildcard host visible to all or to its namespace.
   */
  public destination(host: string, sourceNamespace: string, exportTo: readonly string[]): RegistryEntry | undefined {
    const fqdn = resolveHost(host, sourceNamespace);
    const scopes = exportTo.length === 0 ? [sourceNamespace] : exportTo.map((scope) => (scope === '.' ? sourceNamespace : scope));
    for (const scope of [ALL_NAMESPACES, ...scopes]) {
      const entry = this.entries.get(`${scope}/${fqdn}`);
      if (entry) return entry;
    }
    return this.wildcardEntry(host, sourceNamespace);
  }

  /** A wildcard host (`*.example.com`) visible to all or to `viewer` that covers `host`: the costly lookup, left for last. */
  private wildcardEntry(host: string, viewer: string): RegistryEntry | undefined {
    const bare = host.startsWith('*') ? host.slice(1) : host;
    for (const [key, entry] of this.entries) {
      const slash = key.indexOf('/');
      const scope = key.slice(0, slash);
      const entryHost = key.slice(slash + 1);
      if (!entryHost.startsWith('*') || (scope !== ALL_NAMESPACES && scope !== viewer)) continue;
      if (bare.endsWith(entryHost.slice(1))) return entry;
    }
    return undefined;
  }
}
