// Follows Istio's pkg/config/analysis/analyzers/gateway/gateway.go.
import { appendTo, type KubeObject, selectorMatches } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS, type PodView } from '../../resources/resource-index.js';
import { selectorString } from '../../resources/selectors.js';

/**
 * A Gateway server port must be exposed by a Service that selects the gateway pods, as its
 * port or its targetPort (IST0162); a selector that matches no pod is IST0101.
 */
export const gatewayIngressPortAnalyzer: Analyzer = {
  name: 'gateway.IngressGatewayPortAnalyzer',
  codes: ['IST0101', 'IST0162'],
  goFile: 'gateway/gateway.go',
  analyze(context) {
    const servicesIn = new Map<string, KubeObject[]>();
    for (const service of context.index.ofKind(KINDS.Service)) appendTo(servicesIn, service.metadata?.namespace || 'default', service);
    // Many Gateways select the same pods (every team's on the shared ingress gateway): each pod's ports are found once.
    const portsOfPod = new Map<PodView, readonly number[]>();
    const podPorts = (pod: PodView): readonly number[] => {
      let found = portsOfPod.get(pod);
      if (!found) portsOfPod.set(pod, (found = exposedPorts(pod, servicesIn.get(pod.namespace) ?? [])));
      return found;
    };
    for (const gateway of context.index.ofKind(KINDS.Gateway)) {
      const selector = gateway.spec?.selector ?? {};
      const pods = context.index.podsMatching(selector);
      if (pods.length === 0) {
        context.report('ReferencedResourceNotFound', gateway, ['selector', selectorString(selector)], 'spec.selector');
        continue;
      }
      const ports = new Set<number>(pods.flatMap(podPorts));
      (gateway.spec?.servers ?? []).forEach((server: any, index: number) => {
        const number = server?.port?.number;
        if (number !== undefined && !ports.has(Number(number))) {
          context.report('GatewayPortNotDefinedOnService', gateway, [number, selectorString(selector)], `spec.servers[${index}].port`);
        }
      });
    }
  },
};

/** The ports the Services of the pod's namespace that select it expose, as gateway.go collects them. */
function exposedPorts(pod: PodView, services: readonly KubeObject[]): number[] {
  const ports: number[] = [];
  for (const service of services) {
    // gateway.go builds the selector from the Service's map: none (or empty) matches every pod.
    if (!selectorMatches(service.spec?.selector, pod.labels)) continue;
    for (const port of service.spec?.ports ?? []) {
      // Kubernetes defaults the protocol to TCP; gateway.go sees it defaulted in a cluster.
      if ((port?.protocol ?? 'TCP').toUpperCase() !== 'TCP') continue;
      // Istio listens on the targetPort; a server written with the Service port is translated to it.
      ports.push(Number(port.port));
      // IntOrString.IntValue: a number, or a string of digits (a port name is 0).
      const target = typeof port.targetPort === 'number' ? port.targetPort : /^\d+$/.test(String(port.targetPort ?? '')) ? Number(port.targetPort) : 0;
      if (target !== 0) ports.push(target);
    }
  }
  return ports;
}
