// Follows Istio's pkg/config/analysis/analyzers/deployment/services.go.
import { appendTo, type KubeObject, nameOf, namespaceOf } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { podInMesh } from '../../resources/mesh-membership.js';
import { KINDS, type PodView } from '../../resources/resource-index.js';

/** Deployments of waypoints, which Istio's gateway controller manages. */
function isWaypoint(deployment: KubeObject): boolean {
  return deployment.metadata?.labels?.['gateway.istio.io/managed'] === 'istio.io-mesh-controller';
}

/**
 * The Services that select a meshed Deployment's pods (waypoints aside) must agree: one L4
 * protocol per port (IST0116) and one service port per target port (IST0137).
 */
export const serviceAssociationAnalyzer: Analyzer = {
  name: 'deployment.MultiServiceAnalyzer',
  typeName: 'deployment.ServiceAssociationAnalyzer',
  codes: ['IST0116', 'IST0137'],
  goFile: 'deployment/services.go',
  analyze(context) {
    // Which Services select each pod, found through the label index (Services in input order).
    const servicesOf = new Map<PodView, KubeObject[]>();
    for (const service of context.index.ofKind(KINDS.Service)) {
      const selector = service.spec?.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      for (const pod of context.index.podsMatching(selector, namespaceOf(service))) appendTo(servicesOf, pod, service);
    }
    for (const pod of context.index.pods) {
      if (pod.owner.kind !== 'Deployment' || isWaypoint(pod.owner) || !podInMesh(pod, context)) continue;
      const services = servicesOf.get(pod) ?? [];
      // services.go keys protocols by the Service port's own protocol field (TCP unless set), not by its name.
      const protocolsByPort = new Map<number, Map<string, string[]>>();
      // ...and target ports by each service port, the last Service written for a port kept.
      const portsByTarget = new Map<string, Map<number, string>>();
      for (const service of services) {
        const name = `${namespaceOf(service)}/${nameOf(service)}`;
        for (const port of Array.isArray(service.spec?.ports) ? service.spec.ports : []) {
          const protocol = String(port?.protocol || 'TCP');
          const byProtocol = protocolsByPort.get(port.port) ?? new Map<string, string[]>();
          appendTo(byProtocol, protocol, name);
          protocolsByPort.set(port.port, byProtocol);
          const target = port.targetPort === undefined || String(port.targetPort) === '0' || String(port.targetPort) === '' ? String(port.port) : String(port.targetPort);
          const byPort = portsByTarget.get(target) ?? new Map<number, string>();
          byPort.set(port.port, name);
          portsByTarget.set(target, byPort);
        }
      }
      for (const [port, byProtocol] of protocolsByPort) {
        if (byProtocol.size < 2) continue;
        const names = [...byProtocol.values()].flat().sort();
        context.report('DeploymentAssociatedToMultipleServices', pod.owner, [pod.name, port, names]);
      }
      for (const [target, byPort] of portsByTarget) {
        if (byPort.size < 2) continue;
        const names = [...byPort.values()].sort();
        context.report('DeploymentConflictingPorts', pod.owner, [pod.name, names, target, [...byPort.keys()].sort((a, b) => a - b)]);
      }
    }
  },
};
