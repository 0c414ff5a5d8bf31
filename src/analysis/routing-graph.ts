import { type KubeObject, nameOf, namespaceOf, resolveHost } from '../core/index.js';
import { KINDS, ResourceIndex } from './resources/resource-index.js';
import { gatewayReference } from './resources/virtual-service.js';
import { wellTyped } from './validation/well-typed.js';

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly kind: 'gateway' | 'mesh' | 'host' | 'route' | 'destination' | 'workload';
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}

/** Where traffic goes: gateways (and the mesh) → hosts → route rules → destinations, with weights. */
export interface RoutingGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Builds the routing graph of the VirtualServices in a set of manifests. */
export function routingGraph(objects: readonly KubeObject[]): RoutingGraph {
  const index = new ResourceIndex(wellTyped(objects));
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const node = (key: string, label: string, kind: GraphNode['kind']): string => {
    if (!nodes.has(key)) nodes.set(key, { id: `n${nodes.size}`, label, kind });
    return nodes.get(key)!.id;
  };
  for (const vs of index.ofKind(KINDS.VirtualService)) {
    const namespace = namespaceOf(vs);
    const gateways: string[] = vs.spec?.gateways?.length ? vs.spec.gateways : ['mesh'];
    const sources = gateways.map((reference) => {
      if (reference === 'mesh') return node('mesh', 'mesh (sidecars)', 'mesh');
      const { namespace: ns, name } = gatewayReference(reference, namespace);
      return node(`gateway ${ns}/${name}`, `Gateway ${ns}/${name}`, 'gateway');
    });
    const hosts = ((vs.spec?.hosts ?? []) as string[]).map((host) => node(`host ${resolveHost(host, namespace)}`, host, 'host'));
    for (const source of sources) for (const host of hosts) edges.push({ from: source, to: host });
    (['http', 'tcp', 'tls'] as const).forEach((protocol) => {
      (vs.spec?.[protocol] ?? []).forEach((route: any, r: number) => {
        const routeId = node(`route ${namespace}/${nameOf(vs)} ${protocol} ${r}`, `${nameOf(vs)} ${protocol}[${r}]: ${matchSummary(route)}`, 'route');
        const only = routeSources(route, namespace);
        for (const host of hosts) edges.push({ from: host, to: routeId, ...(only ? { label: `only from ${only}` } : {}) });
        const destinations: any[] = route?.route ?? [];
        for (const weighted of destinations) {
          const d = weighted?.destination ?? {};
          const target = `${d.host ?? '?'}${d.subset ? `/${d.subset}` : ''}${d.port?.number ? `:${d.port.number}` : ''}`;
          const id = node(`destination ${resolveHost(String(d.host ?? ''), namespace)} ${d.subset ?? ''} ${d.port?.number ?? ''}`, target, 'destination');
          const weight = weighted?.weight ?? (destinations.length === 1 ? 100 : undefined);
          edges.push({ from: routeId, to: id, ...(weight !== undefined ? { label: `${weight}%` } : {}) });
        }
      });
    });
  }
  return { nodes: [...nodes.values()], edges: dedupeEdges(edges) };
}

/**
 * The gateways a rule is restricted to when every one of its matches names `gateways` (the rule
 * then takes only their requests), as the graph labels them; undefined when it takes every source.
 */
function routeSources(route: any, namespace: string): string | undefined {
  const matches: any[] = route?.match ?? [];
  if (matches.length === 0 || matches.some((match) => !Array.isArray(match?.gateways) || match.gateways.length === 0)) return undefined;
  const sources = new Set<string>();
  for (const match of matches) {
    for (const reference of match.gateways as string[]) {
      if (reference === 'mesh') sources.add('mesh');
      else {
        const { namespace: ns, name } = gatewayReference(reference, namespace);
        sources.add(`Gateway ${ns}/${name}`);
      }
    }
  }
  return [...sources].join(', ');
}

function matchSummary(route: any): string {
  const matches: any[] = route?.match ?? [];
  if (matches.length === 0) return 'default';
  return matches
    .map((match) => {
      const parts: string[] = [];
      for (const [kind, value] of Object.entries(match?.uri ?? {})) parts.push(`uri ${kind} ${value}`);
      for (const [header, condition] of Object.entries(match?.headers ?? {})) {
        const [kind, value] = Object.entries(condition as object)[0] ?? ['', ''];
        parts.push(`${header} ${kind === 'exact' ? '=' : kind} ${value}`);
      }
      if (match?.port) parts.push(`port ${match.port}`);
      for (const sni of match?.sniHosts ?? []) parts.push(`sni ${sni}`);
      return parts.join(', ') || 'any';
    })
    .join(' | ');
}

/** The edges without repeats, in first-seen order. */
export function dedupeEdges(edges: readonly GraphEdge[]): GraphEdge[] {
  const seen = new Set<string>();
  return edges.filter((edge) => {
    const key = `${edge.from}>${edge.to}>${edge.label ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const quote = (text: string) => text.replace(/"/g, '#quot;');

/** The graph as a Mermaid flowchart. */
export function graphAsMermaid(graph: RoutingGraph): string {
  const shapes: Record<GraphNode['kind'], [string, string]> = {
    gateway: ['[/', '/]'],
    mesh: ['([', '])'],
    host: ['[', ']'],
    route: ['{{', '}}'],
    destination: ['[(', ')]'],
    workload: ['(', ')'],
  };
  const lines = ['flowchart LR'];
  for (const n of graph.nodes) lines.push(`  ${n.id}${shapes[n.kind][0]}"${quote(n.label)}"${shapes[n.kind][1]}`);
  for (const e of graph.edges) lines.push(e.label ? `  ${e.from} -->|${e.label}| ${e.to}` : `  ${e.from} --> ${e.to}`);
  return `${lines.join('\n')}\n`;
}

/** The graph in Graphviz DOT. */
export function graphAsDot(graph: RoutingGraph, name = 'routing'): string {
  const shapes: Record<GraphNode['kind'], string> = { gateway: 'house', mesh: 'oval', host: 'box', route: 'hexagon', destination: 'cylinder', workload: 'ellipse' };
  const lines = [`digraph ${name} {`, '  rankdir=LR;'];
  for (const n of graph.nodes) lines.push(`  ${n.id} [label=${JSON.stringify(n.label)}, shape=${shapes[n.kind]}];`);
  for (const e of graph.edges) lines.push(`  ${e.from} -> ${e.to}${e.label ? ` [label=${JSON.stringify(e.label)}]` : ''};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
