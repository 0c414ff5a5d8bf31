// meshform's own check (an MF code): Istio has no analyzer for it.
import { appendTo, type KubeObject, nameOf, namespaceOf, parseServiceHost, resolveHost, selectorMatches } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS, type PodView } from '../../resources/resource-index.js';
import { podInMesh } from '../../resources/mesh-membership.js';

/**
 * A DestinationRule whose client TLS contradicts the server's PeerAuthentication, port by port:
 * TLS DISABLE towards a port held to STRICT mutual TLS (MF0005), or Istio's mutual TLS towards a
 * port whose mTLS is DISABLEd (MF0008). Either way every request fails.
 */
export const mtlsConflictAnalyzer: Analyzer = {
  name: 'meshform.MtlsConflictAnalyzer',
  codes: ['MF0005', 'MF0008'],
  analyze(context) {
    const policiesIn = new Map<string, KubeObject[]>();
    for (const policy of context.index.ofKind(KINDS.PeerAuthentication)) appendTo(policiesIn, namespaceOf(policy), policy);
    for (const rule of context.index.ofKind(KINDS.DestinationRule)) {
      const policy = rule.spec?.trafficPolicy;
      const portModes = new Map<number, string>();
      for (const setting of policy?.portLevelSettings ?? []) {
        if (typeof setting?.port?.number === 'number' && setting.tls?.mode) portModes.set(setting.port.number, setting.tls.mode);
      }
      if (!policy?.tls?.mode && portModes.size === 0) continue;
      const host = parseServiceHost(resolveHost(String(rule.spec?.host ?? ''), namespaceOf(rule)));
      const service = host && context.index.find(KINDS.Service, host.namespace, host.name);
      if (!service) continue;
      const pods = service.spec?.selector ? context.index.podsMatching(service.spec.selector, host.namespace) : [];
      // PeerAuthentication binds only pods with a sidecar; plain text to the others is right.
      if (pods.length > 0 && !pods.some((pod) => podInMesh(pod, context))) continue;
      for (const port of service.spec?.ports ?? []) {
        const clientMode = portModes.get(port?.port) ?? policy?.tls?.mode;
        const targetPort = typeof port?.targetPort === 'number' ? port.targetPort : port?.port;
        const server = serverMode(policiesIn, context.rootNamespace, host.namespace, pods, targetPort);
        if (!server) continue;
        if (clientMode === 'DISABLE' && server.mode === 'STRICT') {
          context.report('MtlsConflict', rule, [rule.spec.host, `${namespaceOf(server.policy)}/${nameOf(server.policy)}`], 'spec.trafficPolicy.tls.mode');
          break;
        }
        if (clientMode === 'ISTIO_MUTUAL' && server.mode === 'DISABLE') {
          context.report('MtlsDisabledPort', rule, [rule.spec.host, port.port, `${namespaceOf(server.policy)}/${nameOf(server.policy)}`], 'spec.trafficPolicy.tls.mode');
          break;
        }
      }
    }
  },
};

/**
 * The PeerAuthentication mode that decides a port of a Service's pods. Most specific wins: the
 * workload policy's port-level mode, its own mode, then namespace-wide, then mesh-wide (root
 * namespace); UNSET defers to the next.
 */
function serverMode(
  policiesIn: ReadonlyMap<string, readonly KubeObject[]>,
  rootNamespace: string,
  namespace: string,
  pods: readonly PodView[],
  targetPort: number,
): { mode: string; policy: KubeObject } | undefined {
  const local = policiesIn.get(namespace) ?? [];
  const workload = local.find((pa) => pa.spec?.selector?.matchLabels && pods.some((pod) => selectorMatches(pa.spec.selector.matchLabels, pod.labels)));
  const namespaceWide = local.find((pa) => !pa.spec?.selector);
  const meshWide = (policiesIn.get(rootNamespace) ?? []).find((pa) => !pa.spec?.selector);
  const candidates: [KubeObject | undefined, string | undefined][] = [
    [workload, workload?.spec?.portLevelMtls?.[String(targetPort)]?.mode],
    [workload, workload?.spec?.mtls?.mode],
    [namespaceWide, namespaceWide?.spec?.mtls?.mode],
    [meshWide, meshWide?.spec?.mtls?.mode],
  ];
  for (const [policy, mode] of candidates) {
    if (policy && typeof mode === 'string' && mode !== 'UNSET') return { mode, policy };
  }
  return undefined;
}
