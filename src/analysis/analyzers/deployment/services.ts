// Follows Istio's pkg/config/analysis/analyzers/deployment/services.go.
import { type KubeObject, nameOf, namespaceOf, selectorMatches, servicePortProtocol } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { podInMesh } from '../../resources/mesh-membership.js';
import { KINDS } from '../../resources/resource-index.js';

/**
 * The Services that select a meshed Deployment's pods must agree: one protocol per port (IST0116)
 * and one service port per target port (IST0137).
 */
export const serviceAssociationAnalyzer: Analyzer = {
  name: 'deployment.ServiceAssociationAnalyzer',
  codes: ['IST0116', 'IST0137'],
  analyze(context) {
    const servicesByNamespace = new Map<string, KubeObject[]>();
    for (const service of context.index.ofKind(KINDS.Service)) {
      const namespace = namespaceOf(service);
      servicesByNamespace.set(namespace, [...(servicesByNamespace.get(namespace) ?? []), service]);
    }
    for (const pod of context.index.pods) {
      if (pod.owner.kind !== 'Deployment' || !podInMesh(pod, context)) continue;
      const services = (servicesByNamespace.get(pod.namespace) ?? []).filter(
        (service) => service.spec?.selector && Object.keys(service.spec.selector).length > 0 && selectorMatches(service.spec.selector, pod.labels),
      );
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
