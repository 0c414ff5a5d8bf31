// Follows Istio's pkg/config/analysis/analyzers/gateway/conflictinggateway.go.
import { hostsIntersect, type KubeObject, nameOf, namespaceOf, splitGatewayHost } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS, type PodView } from '../../resources/resource-index.js';
import { selectorString } from '../../resources/selectors.js';

/**
 * Two Gateways that select the same gateway pods and declare the same port with overlapping
 * hosts conflict (IST0145): which one wins is undefined.
 */
export const conflictingGatewayAnalyzer: Analyzer = {
  name: 'gateway.ConflictingGatewayAnalyzer',
  codes: ['IST0101', 'IST0145'],
  goFile: 'gateway/conflictinggateway.go',
  analyze(context) {
    const gateways = context.index.ofKind(KINDS.Gateway).map((gateway) => ({
      gateway,
      fullName: `${namespaceOf(gateway)}/${nameOf(gateway)}`,
      selector: selectorString(gateway.spec?.selector),
      pods: new Set<PodView>(context.index.podsMatching(gateway.spec?.selector ?? {})),
    }));
    for (const current of gateways) {
      if (current.pods.size === 0) {
        context.report('ReferencedResourceNotFound', current.gateway, ['selector', current.selector], 'spec.selector');
        continue;
      }
      for (const server of serversWithPort(current.gateway)) {
        const conflicts = new Set<string>();
        for (const other of gateways) {
          if (other === current || ![...other.pods].some((pod) => current.pods.has(pod))) continue;
          for (const otherServer of serversWithPort(other.gateway)) {
            if (otherServer.port?.number !== server.port?.number) continue;
            if (hostsOverlap(server.hosts, otherServer.hosts)) conflicts.add(nameOf(other.gateway));
          }
        }
        if (conflicts.size > 0) {
          context.report(
            'ConflictingGateways',
            current.gateway,
            [[...conflicts].sort().join(','), current.selector, String(server.port.number), (server.hosts ?? []).join(',')],
            'spec.servers',
          );
        }
      }
    }
  },
};

function serversWithPort(gateway: KubeObject): any[] {
  return (gateway.spec?.servers ?? []).filter((server: any) => server?.port?.number !== undefined);
}

function hostsOverlap(a: readonly string[] = [], b: readonly string[] = []): boolean {
  return a.some((x) => b.some((y) => hostsIntersect(splitGatewayHost(x).host, splitGatewayHost(y).host)));
}
