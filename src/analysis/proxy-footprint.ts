import { appendTo, compareCodeUnits, type KubeObject, type Labels, nameOf, namespaceOf, selectorMatches, serviceFqdn, wildcardCovers } from '../core/index.js';
import { podInMesh } from './resources/mesh-membership.js';
import { KINDS, ResourceIndex, type PodView } from './resources/resource-index.js';
import { wellTyped } from './validation/well-typed.js';

/** What istiod sends one workload's proxies: services and endpoints, mesh-wide and as its Sidecar scopes it. */
export interface WorkloadFootprint {
  /** `Kind namespace/name` of the workload. */
  readonly workload: string;
  /**
   * The Sidecar that scopes it (`namespace/name`).
   * @default - none: the proxy is sent the whole mesh
   */
  readonly sidecar?: string;
  readonly meshWide: { readonly services: number; readonly endpoints: number };
  readonly scoped: { readonly services: number; readonly endpoints: number };
}

export interface ProxyFootprint {
  readonly workloads: readonly WorkloadFootprint[];
  readonly total: { readonly meshWide: { services: number; endpoints: number }; readonly scoped: { services: number; endpoints: number } };
}

interface RegistryEntry {
  readonly namespace: string;
  readonly host: string;
  readonly endpoints: number;
  /** Namespaces that see it (`*`: all). */
  readonly exportTo: readonly string[];
}

/**
 * The proxy footprint of the manifests' meshed workloads: for each, how many services and endpoints
 * istiod would push to its proxies without any Sidecar (every service exported to its namespace)
 * and with the Sidecar that applies to it (its egress hosts). Endpoints count the replicas behind
 * each Service, as the manifests declare them.
 */
export function proxyFootprint(objects: readonly KubeObject[], rootNamespace = 'istio-system'): ProxyFootprint {
  const index = new ResourceIndex(wellTyped(objects));
  const registry = serviceRegistry(index);
  const byHost = new Map<string, RegistryEntry[]>();
  for (const entry of registry) appendTo(byHost, entry.host, entry);
  const visibleCache = new Map<string, RegistryEntry[]>();
  const visibleFrom = (namespace: string) => {
    if (!visibleCache.has(namespace)) visibleCache.set(namespace, registry.filter((entry) => visible(entry, namespace)));
    return visibleCache.get(namespace)!;
  };
  const sidecars = index.ofKind(KINDS.Sidecar);
  const workloads = index.pods
    .filter((pod) => podInMesh(pod, { index }))
    .map((pod): WorkloadFootprint => {
      const all = visibleFrom(pod.namespace);
      // Sidecar resources scope sidecar proxies only; a gateway's config follows its routes.
      const sidecar = isGatewayProxy(pod) ? undefined : sidecarFor(pod, sidecars, rootNamespace);
      const scopedEntries = sidecar ? egressEntries(sidecar, pod.namespace, all, byHost) : all;
      return {
        workload: `${pod.owner.kind} ${pod.namespace}/${pod.name}`,
        ...(sidecar ? { sidecar: `${namespaceOf(sidecar)}/${nameOf(sidecar)}` } : {}),
        meshWide: sizeOf(all),
        scoped: sizeOf(scopedEntries),
      };
    })
    .sort((a, b) => compareCodeUnits(a.workload, b.workload));
  const sum = (pick: (row: WorkloadFootprint) => { services: number; endpoints: number }) =>
    workloads.reduce((total, row) => ({ services: total.services + pick(row).services, endpoints: total.endpoints + pick(row).endpoints }), { services: 0, endpoints: 0 });
  return { workloads, total: { meshWide: sum((row) => row.meshWide), scoped: sum((row) => row.scoped) } };
}

/** The footprint as a text table, one workload a line and the totals last. */
export function footprintAsTable(footprint: ProxyFootprint): string {
  const header = ['WORKLOAD', 'SIDECAR', 'SERVICES (mesh-wide → scoped)', 'ENDPOINTS (mesh-wide → scoped)'];
  const rows = footprint.workloads.map((row) => [row.workload, row.sidecar ?? '-', `${row.meshWide.services} → ${row.scoped.services}`, `${row.meshWide.endpoints} → ${row.scoped.endpoints}`]);
  const { meshWide, scoped } = footprint.total;
  const reduction = (from: number, to: number) => (from === 0 ? '' : ` (−${Math.round((100 * (from - to)) / from)}%)`);
  rows.push([
    `total (${footprint.workloads.length} workloads)`,
    '',
    `${meshWide.services} → ${scoped.services}${reduction(meshWide.services, scoped.services)}`,
    `${meshWide.endpoints} → ${scoped.endpoints}${reduction(meshWide.endpoints, scoped.endpoints)}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return `${[header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n')}\n`;
}

function serviceRegistry(index: ResourceIndex): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  for (const service of index.ofKind(KINDS.Service)) {
    const namespace = namespaceOf(service);
    const selector: Labels | undefined = service.spec?.selector;
    const pods = selector && Object.keys(selector).length > 0 ? index.podsMatching(selector, namespace) : [];
    const exportTo = String(service.metadata?.annotations?.['networking.istio.io/exportTo'] ?? '*').split(',').map((value) => value.trim());
    entries.push({ namespace, host: serviceFqdn(nameOf(service), namespace), endpoints: pods.reduce((sum, pod) => sum + replicasOf(pod), 0), exportTo });
  }
  for (const entry of index.ofKind(KINDS.ServiceEntry)) {
    const namespace = namespaceOf(entry);
    const endpoints = Math.max(1, (entry.spec?.endpoints ?? []).length);
    for (const host of (entry.spec?.hosts ?? []) as string[]) {
      entries.push({ namespace, host: String(host), endpoints, exportTo: ((entry.spec?.exportTo ?? ['*']) as string[]).map(String) });
    }
  }
  return entries;
}

function replicasOf(pod: PodView): number {
  if (!pod.fromTemplate) return 1;
  const replicas = pod.owner.spec?.replicas ?? pod.owner.spec?.parallelism;
  return typeof replicas === 'number' && replicas >= 0 ? replicas : 1;
}

function visible(entry: RegistryEntry, namespace: string): boolean {
  return entry.exportTo.some((to) => to === '*' || (to === '.' ? entry.namespace === namespace : to === namespace));
}

/**
 * A pod whose proxy runs as a gateway (`proxy router`): injected from Istio's gateway template, or
 * already carrying a proxy started as a router.
 */
function isGatewayProxy(pod: PodView): boolean {
  const templates = String(pod.annotations?.['inject.istio.io/templates'] ?? '').split(',').map((name) => name.trim());
  if (templates.includes('gateway')) return true;
  const proxy = ((pod.spec?.containers ?? []) as { name?: string; args?: unknown[] }[]).find((container) => container?.name === 'istio-proxy');
  return Array.isArray(proxy?.args) && proxy.args[0] === 'proxy' && proxy.args[1] === 'router';
}

/** The Sidecar Istio applies to a pod: its own by selector, else its namespace's, else the root namespace's. */
function sidecarFor(pod: PodView, sidecars: readonly KubeObject[], rootNamespace: string): KubeObject | undefined {
  const inNamespace = sidecars.filter((sidecar) => namespaceOf(sidecar) === pod.namespace);
  return (
    inNamespace.find((sidecar) => sidecar.spec?.workloadSelector?.labels && selectorMatches(sidecar.spec.workloadSelector.labels, pod.labels)) ??
    inNamespace.find((sidecar) => !sidecar.spec?.workloadSelector) ??
    sidecars.find((sidecar) => namespaceOf(sidecar) === rootNamespace && !sidecar.spec?.workloadSelector)
  );
}

/** The registry entries a Sidecar's egress hosts (`namespace/host`) select, among those visible. */
function egressEntries(sidecar: KubeObject, podNamespace: string, visibleEntries: readonly RegistryEntry[], byHost: ReadonlyMap<string, RegistryEntry[]>): RegistryEntry[] {
  const visibleSet = new Set(visibleEntries);
  const selected = new Set<RegistryEntry>();
  for (const egress of (sidecar.spec?.egress ?? []) as any[]) {
    for (const entry of (egress?.hosts ?? []) as string[]) {
      const [namespacePart, host] = String(entry).includes('/') ? String(entry).split('/', 2) as [string, string] : ['*', String(entry)];
      const namespaceMatches = (namespace: string) => namespacePart === '*' || (namespacePart === '.' ? namespace === podNamespace : namespacePart !== '~' && namespacePart === namespace);
      // Exact hosts are looked up; only wildcards are matched against the registry.
      const candidates = host.includes('*') ? visibleEntries.filter((candidate) => wildcardCovers(host, candidate.host)) : (byHost.get(host) ?? []);
      for (const candidate of candidates) if (visibleSet.has(candidate) && namespaceMatches(candidate.namespace)) selected.add(candidate);
    }
  }
  return [...selected];
}

function sizeOf(entries: readonly RegistryEntry[]): { services: number; endpoints: number } {
  return { services: entries.length, endpoints: entries.reduce((sum, entry) => sum + entry.endpoints, 0) };
}
