// meshform's own check (an MF code): Istio has no analyzer for it.
import { type KubeObject, nameOf, namespaceOf, parseServiceHost, resolveHost, selectorMatches } from '../../../core/index.js';
import type { AnalysisContext, Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { podInMesh } from '../../resources/mesh-membership.js';

/** DestinationRule TLS DISABLE towards workloads a PeerAuthentication holds to STRICT mTLS (MF0005). */
export const mtlsConflictAnalyzer: Analyzer = {
  name: 'meshform.MtlsConflictAnalyzer',
  codes: ['MF0005'],
  analyze(context) {
    for (const rule of context.index.ofKind(KINDS.DestinationRule)) {
      if (rule.spec?.trafficPolicy?.tls?.mode !== 'DISABLE') continue;
      const service = parseServiceHost(resolveHost(String(rule.spec?.host ?? ''), namespaceOf(rule)));
      if (!service) continue;
      const strict = strictPolicyFor(context, service.namespace, service.name);
      if (strict) {
        context.report('MtlsConflict', rule, [rule.spec.host, `${namespaceOf(strict)}/${nameOf(strict)}`], 'spec.trafficPolicy.tls.mode');
      }
    }
  },
};

/**
 * The PeerAuthentication that decides the mode for a Service's pods, when it is STRICT. Only
 * Services in the manifests are judged: of others it is unknown whether they are in the mesh.
 */
function strictPolicyFor(context: AnalysisContext, namespace: string, serviceName: string): KubeObject | undefined {
  const service = context.index.find(KINDS.Service, namespace, serviceName);
  if (!service) return undefined;
  const pods = service.spec?.selector ? context.index.podsMatching(service.spec.selector, namespace) : [];
  // PeerAuthentication binds only pods with a sidecar; plain text to the others is right.
  if (pods.length > 0 && !pods.some((pod) => podInMesh(pod, context))) return undefined;
  const policies = context.index.ofKind(KINDS.PeerAuthentication);
  const modeOf = (pa: KubeObject) => pa.spec?.mtls?.mode as string | undefined;
  // Most specific wins: workload selector, then namespace-wide, then mesh-wide (root namespace).
  const workload = policies.find(
    (pa) => namespaceOf(pa) === namespace && pa.spec?.selector?.matchLabels && pods.some((pod) => selectorMatches(pa.spec.selector.matchLabels, pod.labels)),
  );
  const namespaceWide = policies.find((pa) => namespaceOf(pa) === namespace && !pa.spec?.selector);
  const meshWide = policies.find((pa) => namespaceOf(pa) === context.rootNamespace && !pa.spec?.selector);
  for (const candidate of [workload, namespaceWide, meshWide]) {
    const mode = candidate && modeOf(candidate);
    if (mode && mode !== 'UNSET') return mode === 'STRICT' ? candidate : undefined;
  }
  return undefined;
}
