// Follows Istio's pkg/config/analysis/analyzers/gateway/conflictinggateway.go.
import { appendTo, type KubeObject, type Labels, nameOf, namespaceOf, selectorMatches } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { selectorString } from '../../resources/selectors.js';

interface GatewayEntry {
  readonly gateway: KubeObject;
  readonly fullName: string;
  readonly selector: Labels;
  readonly selectorText: string;
}

/**
 * Gateways that select the same workload and bind the same host on the same port conflict
 * (IST0145). As conflictinggateway.go decides it: two Gateways share a workload when their
 * selectors are the same, or when one selector's text contains the other's and some pod matches
 * both; hosts clash when written the same with the same bind. A Gateway whose selector shares no
 * workload with any Gateway, itself included, is IST0101.
 */
export const conflictingGatewayAnalyzer: Analyzer = {
  name: 'gateway.ConflictingGatewayAnalyzer',
  codes: ['IST0101', 'IST0145'],
  goFile: 'gateway/conflictinggateway.go',
  analyze(context) {
    const entries: GatewayEntry[] = context.index.ofKind(KINDS.Gateway).map((gateway) => {
      const selector: Labels = gateway.spec?.selector ?? {};
      return { gateway, fullName: `${namespaceOf(gateway)}/${nameOf(gateway)}`, selector, selectorText: selectorString(selector) };
    });
    // Every server makes a `selector~port` entry in Istio's map, a server without port under port 0.
    const withServers = entries.filter((entry) => serversOf(entry.gateway).length > 0);
    // Gateways by selector text, and the names that bind each host, by selector, port and bind:
    // thousands of Gateways on one shared ingress gateway are compared through these, not pairwise.
    const bySelector = new Map<string, GatewayEntry>();
    const binding = new Map<string, string[]>();
    for (const entry of withServers) {
      if (!bySelector.has(entry.selectorText)) bySelector.set(entry.selectorText, entry);
      // Istio keeps one host list per gateway and port: that of its last server on the port.
      const lastOnPort = new Map<number, any>();
      for (const server of serversOf(entry.gateway)) lastOnPort.set(portOf(server), server);
      for (const [port, server] of lastOnPort) {
        for (const host of new Set(hostsOf(server))) appendTo(binding, bindingKey(entry.selectorText, port, server, host), entry.fullName);
      }
    }
    for (const current of entries) {
      const pods = context.index.podsMatching(current.selector);
      const sharing = [...bySelector.values()].filter((other) => sharesWorkload(current, other, pods)).map((other) => other.selectorText);
      if (current.selectorText !== '' && sharing.length === 0) {
        context.report('ReferencedResourceNotFound', current.gateway, ['selector', current.selectorText], 'spec.selector');
        continue;
      }
      for (const server of serversOf(current.gateway)) {
        const conflicts = new Set<string>();
        for (const selectorText of sharing) {
          for (const host of hostsOf(server)) {
            for (const name of binding.get(bindingKey(selectorText, portOf(server), server, host)) ?? []) if (name !== current.fullName) conflicts.add(name);
          }
        }
        if (conflicts.size > 0) {
          context.report(
            'ConflictingGateways',
            current.gateway,
            [[...conflicts].sort().join(','), current.selectorText, String(portOf(server)), (server.hosts ?? []).join(',')],
            'spec.servers',
          );
        }
      }
    }
  },
};

/** As model.CheckDuplicates compares servers: a host written the same, with the same bind address. */
function bindingKey(selectorText: string, port: number, server: any, host: string): string {
  return `${selectorText}\u0000${port}\u0000${String(server.bind ?? '')}\u0000${host}`;
}

function hostsOf(server: any): string[] {
  return Array.isArray(server?.hosts) ? server.hosts.map(String) : [];
}

function sharesWorkload(current: GatewayEntry, other: GatewayEntry, currentPods: readonly { labels: Labels }[]): boolean {
  if (current.selectorText === other.selectorText) return true;
  if (!current.selectorText.includes(other.selectorText) && !other.selectorText.includes(current.selectorText)) return false;
  return currentPods.some((pod) => selectorMatches(other.selector, pod.labels));
}

function serversOf(gateway: KubeObject): any[] {
  return (Array.isArray(gateway.spec?.servers) ? gateway.spec.servers : []).filter((server: unknown) => typeof server === 'object' && server !== null);
}

const portOf = (server: any): number => (typeof server?.port?.number === 'number' ? server.port.number : 0);
