import { hostsIntersect } from '../../core/index.js';
import type { Analyzer } from '../context.js';
import { namespaceOf, type KubeObject } from '../manifest.js';
import { KINDS } from '../resource-index.js';
import { gatewayReference } from '../virtual-service.js';

/**
 * A VirtualService must name Gateways that exist (IST0101) and serve at least one of its hosts
 * for its namespace (IST0132).
 */
export const gatewayAnalyzer: Analyzer = {
  name: 'virtualservice.GatewayAnalyzer',
  codes: ['IST0101', 'IST0132', 'IST0165'],
  analyze(context) {
    for (const vs of context.index.ofKind(KINDS.VirtualService)) {
      const namespace = namespaceOf(vs);
      const hosts: string[] = vs.spec?.hosts ?? [];
      (vs.spec?.gateways ?? []).forEach((reference: string, index: number) => {
        if (reference === 'mesh') return;
        const { namespace: gatewayNamespace, name } = gatewayReference(reference, namespace);
        const istioGateway = context.index.find(KINDS.Gateway, gatewayNamespace, name);
        const kubernetesGateway = context.index.find(KINDS.KubernetesGateway, gatewayNamespace, name);
        const path = `spec.gateways[${index}]`;
        // A missing gateway serves no host either: istioctl reports both.
        if (!istioGateway && !kubernetesGateway) context.report('ReferencedResourceNotFound', vs, ['gateway', reference], path);
        const served = istioGateway
          ? istioGatewayHosts(istioGateway, namespace)
          : kubernetesGateway
            ? kubernetesGatewayHosts(kubernetesGateway)
            : [];
        if (!served.some((gatewayHost) => hosts.some((host) => hostsIntersect(gatewayHost, host)))) {
          context.report('VirtualServiceHostNotFoundInGateway', vs, [hosts, `${namespace}/${vs.metadata?.name}`, `${gatewayNamespace}/${name}`], path);
        }
      });
    }
  },
};

/** Hosts a Gateway serves to VirtualServices of `namespace` (`ns/host`, `./host`, `*\/host`, `host`). */
function istioGatewayHosts(gateway: KubeObject, namespace: string): string[] {
  const gatewayNamespace = namespaceOf(gateway);
  const hosts: string[] = [];
  for (const server of gateway.spec?.servers ?? []) {
    for (const entry of (server?.hosts ?? []) as string[]) {
      const slash = entry.indexOf('/');
      if (slash < 0) {
        hosts.push(entry);
        continue;
      }
      const scope = entry.slice(0, slash);
      const visible = scope === '*' || scope === namespace || (scope === '.' && gatewayNamespace === namespace);
      if (visible) hosts.push(entry.slice(slash + 1));
    }
  }
  return hosts;
}

function kubernetesGatewayHosts(gateway: KubeObject): string[] {
  return (gateway.spec?.listeners ?? []).map((listener: any) => listener?.hostname ?? '*');
}
