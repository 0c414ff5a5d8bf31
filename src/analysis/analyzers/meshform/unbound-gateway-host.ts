// meshform's own check (an MF code): Istio has no analyzer for it.
import { appendTo, hostsIntersect, nameOf, namespaceOf, splitGatewayHost, wildcardCovers } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { gatewayReference } from '../../resources/virtual-service.js';

/**
 * A VirtualService without `gateways` applies to sidecars only. When its host is one a Gateway
 * serves and no VirtualService bound to that Gateway routes the host, the gateway answers 404:
 * the most common "my gateway returns 404" (MF0009).
 */
export const unboundGatewayHostAnalyzer: Analyzer = {
  name: 'meshform.UnboundGatewayHostAnalyzer',
  codes: ['MF0009'],
  analyze(context) {
    const services = context.index.ofKind(KINDS.VirtualService);
    const gateways = context.index.ofKind(KINDS.Gateway);
    // The hosts each Gateway has routes for, from the VirtualServices bound to it.
    const routed = new Map<string, string[]>();
    for (const vs of services) {
      for (const reference of (vs.spec?.gateways ?? []) as string[]) {
        if (reference === 'mesh') continue;
        const { namespace, name } = gatewayReference(reference, namespaceOf(vs));
        for (const host of (vs.spec?.hosts ?? []) as string[]) appendTo(routed, `${namespace}/${name}`, host);
      }
    }
    // The Gateways that may serve a host: by exact server host, and every one with a wildcard
    // server host (few), so that each VirtualService host is not compared with every Gateway.
    const exact = new Map<string, number[]>();
    const wildcard: number[] = [];
    gateways.forEach((gateway, index) => {
      for (const server of (gateway.spec?.servers ?? []) as { hosts?: string[] }[]) {
        for (const entry of server?.hosts ?? []) {
          const served = splitGatewayHost(String(entry)).host.toLowerCase();
          if (served === '*') continue; // serves no host of a VirtualService (see below)
          if (served.startsWith('*')) wildcard.push(index);
          else appendTo(exact, served, index);
        }
      }
    });
    const candidates = (host: string) => [...new Set([...(exact.get(host.toLowerCase()) ?? []), ...wildcard])].sort((a, b) => a - b).map((index) => gateways[index]!);
    for (const vs of services) {
      if ((vs.spec?.gateways ?? []).length > 0) continue;
      ((vs.spec?.hosts ?? []) as string[]).forEach((host, index) => {
        for (const gateway of candidates(String(host))) {
          const key = `${namespaceOf(gateway)}/${nameOf(gateway)}`;
          const serves = ((gateway.spec?.servers ?? []) as { hosts?: string[] }[]).some((server) =>
            (server?.hosts ?? []).some((entry) => {
              const served = splitGatewayHost(entry);
              // A server host's namespace part says which VirtualServices may bind to it.
              const admits = served.namespace === '*' || served.namespace === namespaceOf(vs) || (served.namespace === '.' && namespaceOf(gateway) === namespaceOf(vs));
              return admits && served.host !== '*' && wildcardCovers(served.host, host);
            }),
          );
          if (!serves || (routed.get(key) ?? []).some((other) => hostsIntersect(other, host))) continue;
          context.report('GatewayHostNotBound', vs, [host, `Gateway ${key}`, key], `spec.hosts[${index}]`);
        }
      });
    }
  },
};
