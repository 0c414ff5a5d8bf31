// Follows Istio's pkg/config/analysis/analyzers/service/portname.go.
import { KUBERNETES_SYSTEM_NAMESPACES, namespaceOf, servicePortProtocol } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/** Namespaces the injector never touches; their Services are not checked. */

/** True for objects of Istio's own control plane (labelled `istio` or `release: istio`). */
export function isIstioControlPlane(labels: Record<string, string> | undefined): boolean {
  return labels?.['istio'] !== undefined || labels?.['release'] === 'istio';
}

/**
 * Service ports must tell Istio their protocol by name (`http-web`) or appProtocol (IST0118); an
 * ExternalName Service needs an application protocol, not plain TCP (IST0150).
 */
export const portNameAnalyzer: Analyzer = {
  name: 'service.PortNameAnalyzer',
  codes: ['IST0118', 'IST0150'],
  analyze(context) {
    for (const service of context.index.ofKind(KINDS.Service)) {
      if (KUBERNETES_SYSTEM_NAMESPACES.includes(namespaceOf(service)) || isIstioControlPlane(service.metadata?.labels)) continue;
      const externalName = service.spec?.type === 'ExternalName';
      (service.spec?.ports ?? []).forEach((port: any, index: number) => {
        const protocol = servicePortProtocol(port ?? {});
        const path = `spec.ports[${index}]`;
        if (externalName) {
          if (protocol === undefined || protocol === 'tcp') context.report('ExternalNameServiceTypeInvalidPortName', service, [], path);
        } else if (protocol === undefined) {
          const targetPort = port?.targetPort === undefined ? '0' : String(port.targetPort);
          context.report('PortNameIsNotUnderNamingConvention', service, [port?.name ?? '', port?.port, targetPort], path);
        }
      });
    }
  },
};
