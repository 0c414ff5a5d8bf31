import { appendTo, type KubeObject, nameOf, namespaceOf } from '../core/index.js';
import { KINDS, ResourceIndex, type PodView } from './resources/resource-index.js';
import { dedupeEdges, type GraphEdge, type GraphNode, type RoutingGraph } from './routing-graph.js';
import { wellTyped } from './validation/well-typed.js';

const SPIFFE = /^(?:spiffe:\/\/)?[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/;

/**
 * Who may call whom, as the ALLOW AuthorizationPolicies declare it: an edge from each admitted
 * caller (its workloads, found by ServiceAccount) to the workloads a policy selects, labelled
 * with the operations the rule admits.
 */
export function callGraph(objects: readonly KubeObject[]): RoutingGraph {
  const index = new ResourceIndex(wellTyped(objects));
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const node = (key: string, label: string): string => {
    if (!nodes.has(key)) nodes.set(key, { id: `n${nodes.size}`, label, kind: 'workload' });
    return nodes.get(key)!.id;
  };
  const workloadNode = (pod: PodView) => node(`workload ${pod.namespace}/${pod.name}`, `${pod.owner.kind} ${pod.namespace}/${pod.name}`);
  const byAccount = new Map<string, PodView[]>();
  for (const pod of index.pods) {
    const key = `${pod.namespace}/${pod.spec?.serviceAccountName ?? 'default'}`;
    appendTo(byAccount, key, pod);
  }
  const callers = (rule: any): string[] => {
    const sources: any[] = rule?.from ?? [];
    if (sources.length === 0) return [node('anyone', 'anyone')];
    return sources.flatMap((from) => {
      const principals: unknown[] = from?.source?.principals ?? [];
      if (principals.length === 0) return [node(`source ${JSON.stringify(from?.source ?? {})}`, sourceSummary(from?.source))];
      return principals.map(String).flatMap((principal) => {
        const [, namespace, account] = SPIFFE.exec(principal) ?? [];
        const pods = namespace ? (byAccount.get(`${namespace}/${account}`) ?? []) : [];
        return pods.length > 0 ? pods.map(workloadNode) : [node(`principal ${principal}`, principal)];
      });
    });
  };
  for (const policy of index.ofKind(KINDS.AuthorizationPolicy)) {
    const spec = policy.spec ?? {};
    if ((spec.action ?? 'ALLOW') !== 'ALLOW' || !spec.selector?.matchLabels) continue;
    const servers = index.podsMatching(spec.selector.matchLabels, namespaceOf(policy));
    const targets = servers.length > 0 ? servers.map(workloadNode) : [node(`policy ${namespaceOf(policy)}/${nameOf(policy)}`, `AuthorizationPolicy ${namespaceOf(policy)}/${nameOf(policy)}`)];
    for (const rule of (spec.rules ?? []) as any[]) {
      const label = operationSummary(rule);
      for (const from of callers(rule)) for (const to of targets) edges.push({ from, to, ...(label ? { label } : {}) });
    }
  }
  return { nodes: [...nodes.values()], edges: dedupeEdges(edges) };
}

function sourceSummary(source: any): string {
  const parts = Object.entries(source ?? {}).map(([field, values]) => `${field} ${(values as unknown[]).join(',')}`);
  return parts.join('; ') || 'anyone';
}

function operationSummary(rule: any): string | undefined {
  const operations = ((rule?.to ?? []) as any[]).map(({ operation = {} }) =>
    [operation.methods?.join(','), operation.paths?.join(','), operation.ports?.length ? `port ${operation.ports.join(',')}` : undefined, operation.hosts?.join(',')]
      .filter(Boolean)
      .join(' '),
  );
  return operations.filter(Boolean).join(' | ') || undefined;
}
