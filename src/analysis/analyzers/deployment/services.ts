// Follows Istio's pkg/config/analysis/analyzers/deployment/services.go.
import { appendTo, type KubeObject, nameOf, namespaceOf, servicePortProtocol } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { podInMesh } from '../../resources/mesh-membership.js';
import { KINDS, type PodView } from '../../resources/resource-index.js';

/**
 * The Services that select a meshed Deployment's pods must agree: one protocol per port (IST0116)
 * and one service port per target port (IST0137).
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
      if (pod.owner.kind !== 'Deployment' || !podInMesh(pod, context)) continue;
      const services = servicesOf.get(pod) ?? [];
      const protocolsByPort = new Map<number, Map<string, string[]>>();
      const portsByTarget = new Map<string, Map<number, string[]>>();
      for (const service of services) {
        for (const port of service.spec?.ports ?? []) {
          if (String(port?.protocol ?? 'TCP').toUpperCase() === 'UDP') continue;
          const protocol = servicePortProtocol(port) ?? 'unsupported';
          const byProtocol = protocolsByPort.get(port.port) ?? new Map<string, string[]>();
          byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), nameOf(service)]);
          protocolsByPort.set(port.port, byProtocol);
          const target = port.targetPort === undefined ? String(port.port) : String(port.targetPort);
          const byPort = portsByTarget.get(target) ?? new Map<number, string[]>();
          byPort.set(port.port, [...(byPort.get(port.port) ?? []), nameOf(service)]);
          portsByTarget.set(target, byPort);
        }
      }
      for (const [port, byProtocol] of protocolsByPort) {
        if (byProtocol.size < 2) continue;
        const names = [...new Set([...byProtocol.values()].flat())].sort();
        context.report('DeploymentAssociatedToMultipleServices', pod.owner, [pod.name, port, names]);
      }
      for (const [target, byPort] of portsByTarget) {
        if (byPort.size < 2) continue;
        const names = [...new Set([...byPort.values()].flat())].sort();
        context.report('DeploymentConflictingPorts', pod.owner, [pod.name, names, target, [...byPort.keys()].sort((a, b) => a - b)]);
      }
    }
  },
};
