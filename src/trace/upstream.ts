import { arrayOf, type KubeObject, type Labels, namespaceOf, originOf, resolveHost, wildcardCovers } from '../core/index.js';
import { KINDS, type PodView } from '../analysis/resources/resource-index.js';
import { podInMesh } from '../analysis/resources/mesh-membership.js';
import { authorize } from './authorization.js';
import { type CatalogService, containerPort, exportedTo, exportToOf, type MeshInputs } from './mesh-inputs.js';
import type { WeightedCluster } from './route-table.js';
import { peerAuthenticationMode } from './sidecar-inbound.js';
import type { NormalizedRequest } from './trace-request.js';
import type { TraceRecorder, TraceResult } from './trace-result.js';

/**
 * The DestinationRule for a host as a client in `namespace` resolves it (Istio's
 * PushContext.destinationRule): the client's namespace, then the service's, then the root
 * namespace, the most specific host winning in each.
 */
export function destinationRuleFor(host: string, clientNamespace: string, serviceNamespace: string, inputs: MeshInputs): KubeObject | undefined {
  const rules = inputs.inCreationOrder(KINDS.DestinationRule);
  for (const namespace of [...new Set([clientNamespace, serviceNamespace, inputs.rootNamespace])]) {
    let best: { rule: KubeObject; length: number } | undefined;
    for (const rule of rules) {
      if (namespaceOf(rule) !== namespace || rule.spec?.workloadSelector) continue;
      const ruleHost = resolveHost(String(rule.spec?.host ?? ''), namespace).toLowerCase();
      if (!wildcardCovers(ruleHost, host)) continue;
      const length = ruleHost === host ? Number.MAX_SAFE_INTEGER : ruleHost.length;
      if (!best || length > best.length) best = { rule, length };
    }
    // The most specific host is chosen before exportTo: one not exported yields nothing here.
    if (best && exportedTo(exportToOf(best.rule), namespace, clientNamespace)) return best.rule;
  }
  return undefined;
}

/** The port-level entry of a traffic policy for a service port, if it has one. */
function portLevel(policy: Record<string, any> | undefined, port: number): Record<string, any> | undefined {
  return arrayOf<Record<string, any>>(policy?.portLevelSettings).find((entry) => Number(entry?.port?.number) === port);
}

/**
 * The traffic policy in force for a port and subset (Istio's MergeSubsetTrafficPolicy): a
 * port-level entry replaces its level's policy wholesale; a subset's policy overrides the rule's
 * field by field, and its port-level entry replaces the four per-port fields, unset ones included.
 */
function policyInForce(rule: KubeObject | undefined, subset: Record<string, any> | undefined, port: number): Record<string, any> {
  const top = rule?.spec?.trafficPolicy as Record<string, any> | undefined;
  const base = portLevel(top, port) ?? top ?? {};
  const own = subset?.trafficPolicy as Record<string, any> | undefined;
  if (!own) return base;
  const level = portLevel(own, port);
  if (!level) return { ...base, ...own };
  return { ...base, ...own, loadBalancer: level.loadBalancer, connectionPool: level.connectionPool, outlierDetection: level.outlierDetection, tls: level.tls };
}

/**
 * What happens past the client proxy's route table: the DestinationRule and subset, the
 * endpoints, the transport against the destination's PeerAuthentication, and authorization there.
 */
export function upstreamHops(cluster: WeightedCluster, request: NormalizedRequest, inputs: MeshInputs, trail: TraceRecorder): TraceResult {
  const { proxy } = request;
  const service = inputs.service(cluster.host, proxy.namespace);
  if (!service) {
    trail.notes.push(`${cluster.host} is not a service of these manifests: the cluster ${cluster.cluster} exists only if the mesh has it elsewhere.`);
    return trail.end(cluster.cluster, 'routed', `sent to ${cluster.cluster}`);
  }
  const rule = destinationRuleFor(cluster.host, proxy.namespace, service.namespace, inputs);
  const subsets = Array.isArray(rule?.spec?.subsets) ? (rule!.spec.subsets as Record<string, any>[]) : [];
  const subset = cluster.subset ? subsets.find((entry) => entry?.name === cluster.subset) : undefined;
  if (rule) {
    const which = cluster.subset ? (subset ? `subset ${cluster.subset} (labels ${labelText(subset.labels)})` : `has no subset ${cluster.subset}`) : 'the host';
    trail.hop('destination rule', originOf(rule), `${which}; ${policySummary(policyInForce(rule, subset, cluster.port))}`, { origin: originOf(rule), field: subset ? `spec.subsets[${subsets.indexOf(subset)}]` : 'spec.trafficPolicy' });
  }
  if (cluster.subset && !subset) {
    return trail.end(cluster.cluster, '503', `no DestinationRule the client sees defines subset ${cluster.subset} of ${cluster.host}: Envoy has no such cluster`, 'no cluster', 'NC');
  }
  const endpoints = endpointsOf(service, subset?.labels as Labels | undefined, inputs);
  if (endpoints === undefined) {
    trail.hop('endpoints', 'unknown', `${originOf(service.object)} has no selector: its endpoints are kept outside these manifests`);
    return trail.end(cluster.cluster, 'routed', `sent to ${cluster.cluster}`);
  }
  if (endpoints.length === 0) {
    trail.hop('endpoints', 'none', `no pod in ${service.namespace} has the labels ${labelText({ ...(service.selector ?? {}), ...((subset?.labels as Labels) ?? {}) })}`, { origin: originOf(service.object), field: 'spec.selector' });
    return trail.end(cluster.cluster, '503', `${cluster.cluster} has no endpoints`, 'no endpoints', 'UH');
  }
  trail.hop('endpoints', endpoints.map(describePod).join(', '), `pods with the labels ${labelText({ ...(service.selector ?? {}), ...((subset?.labels as Labels) ?? {}) })}`, { origin: originOf(service.object), field: 'spec.selector' });

  const target = endpoints[0]!;
  const targetPort = endpointPort(service, cluster.port, target);
  const meshed = podInMesh(target, inputs);
  const serverMode = meshed ? peerAuthenticationMode(target.namespace, target.labels, targetPort, inputs) : undefined;
  const explicit: string | undefined = policyInForce(rule, subset, cluster.port).tls?.mode;
  const clientMtls = explicit ? explicit === 'ISTIO_MUTUAL' : meshed && serverMode?.mode !== 'DISABLE' && !service.meshExternal;
  const transport = clientMtls ? 'Istio mTLS' : explicit && explicit !== 'DISABLE' ? `TLS (${explicit})` : 'plaintext';
  trail.hop('mTLS', transport, `${explicit ? `DestinationRule tls.mode ${explicit}` : 'auto mTLS'}; the destination ${meshed ? `accepts ${serverMode!.mode}` : 'has no sidecar'} on port ${targetPort}`, serverMode?.decidedBy);
  if (meshed && serverMode!.mode === 'STRICT' && !clientMtls) return trail.end(cluster.cluster, '503', 'the destination requires mTLS (STRICT) and the client sends plaintext: upstream connect error', 'mtls', 'UF');
  if (clientMtls && !meshed) return trail.end(cluster.cluster, '503', 'the client sends Istio mTLS to a pod without a sidecar: upstream connect error', 'mtls', 'UF');
  if (meshed) {
    const source = clientMtls ? { principal: `cluster.local/ns/${proxy.namespace}/sa/${proxy.serviceAccount}`, namespace: proxy.namespace } : {};
    const denial = authorize({ ...request, port: targetPort }, inputs, { namespace: target.namespace, labels: target.labels }, trail.hops, source);
    if (denial) return trail.end(cluster.cluster, '403', denial, 'rbac');
  }
  return trail.end(cluster.cluster, 'routed', `sent to ${cluster.cluster}`);
}

/**
 * A call that leaves through PassthroughCluster goes to the dialled address as it is, without
 * mTLS. When its Host names a service of the mesh the proxy does not see (a Sidecar that does not
 * import it), the destination's sidecar still judges it: under STRICT it is refused.
 */
export function passthroughOutcome(cluster: string, request: NormalizedRequest, inputs: MeshInputs, trail: TraceRecorder): TraceResult {
  const name = request.host.replace(/:\d+$/, '');
  const service = name ? inputs.services.find((candidate) => candidate.hostname === resolveHost(name, request.proxy.namespace).toLowerCase() && candidate.object.kind === 'Service') : undefined;
  const pod = service?.selector && Object.keys(service.selector).length > 0 ? inputs.index.podsMatching(service.selector, service.namespace).find((candidate) => podInMesh(candidate, inputs)) : undefined;
  if (service && pod) {
    const port = endpointPort(service, request.port, pod);
    const mode = peerAuthenticationMode(pod.namespace, pod.labels, port, inputs);
    trail.notes.push(`${name} is ${originOf(service.object)}, but this proxy does not see it (its Sidecar's egress hosts leave it out): the call goes as plaintext to the dialled address, past every VirtualService and DestinationRule.`);
    if (mode.mode === 'STRICT') {
      trail.hop('mTLS', 'plaintext', `the destination ${originOf(pod.owner)} accepts only mTLS on port ${port}`, mode.decidedBy);
      return trail.end(cluster, 'reset', `${name} requires mTLS (STRICT) and a passthrough call has none: add ${service.namespace}/${service.hostname} to the Sidecar's egress hosts`, 'mtls', 'UF');
    }
  }
  return trail.end(cluster, 'passthrough', `sent to ${request.address}:${request.port} as dialled, without mesh routing or mTLS`);
}

/** The pods a cluster's endpoints are, or undefined when the manifests cannot tell. */
function endpointsOf(service: CatalogService, subsetLabels: Labels | undefined, inputs: MeshInputs): PodView[] | undefined {
  if (!service.selector || Object.keys(service.selector).length === 0) return undefined;
  if (service.object.kind === 'ServiceEntry' && service.endpoints.length > 0) return undefined;
  const labels = { ...service.selector, ...(subsetLabels ?? {}) };
  return [...inputs.index.podsMatching(labels, service.namespace)];
}

function endpointPort(service: CatalogService, port: number, pod: PodView): number {
  const declared = service.ports.find((entry) => entry.number === port);
  const target = declared?.targetPort;
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && target !== '') return containerPort(pod.spec, target) ?? port;
  return port;
}

function describePod(pod: PodView): string {
  const replicas = pod.fromTemplate ? Number(pod.owner.spec?.replicas ?? 1) : 1;
  return `${originOf(pod.owner)}${pod.fromTemplate ? ` (${replicas} replica${replicas === 1 ? '' : 's'})` : ''}`;
}

/** A traffic policy in words: load balancing, TLS, connection pool, outlier detection. */
function policySummary(merged: Record<string, any>): string {
  const parts = [
    merged.loadBalancer ? `load balancing ${merged.loadBalancer.simple ?? (merged.loadBalancer.consistentHash ? 'consistent hash' : 'set')}` : '',
    merged.tls?.mode ? `TLS ${merged.tls.mode}` : '',
    merged.connectionPool ? 'connection pool limits' : '',
    merged.outlierDetection ? `outlier detection${merged.outlierDetection.consecutive5xxErrors ? ` after ${merged.outlierDetection.consecutive5xxErrors} 5xx` : ''}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no traffic policy (Envoy defaults)';
}

function labelText(labels: unknown): string {
  const entries = Object.entries((labels ?? {}) as Record<string, string>);
  return entries.length === 0 ? '(none)' : entries.map(([key, value]) => `${key}=${value}`).join(',');
}
