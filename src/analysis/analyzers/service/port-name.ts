// Follows Istio's pkg/config/analysis/analyzers/service/portname.go.
import { servicePortProtocol } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';

/** True for objects of Istio's own control plane (labelled `istio` or `release: istio`). */
export function isIstioControlPlane(labels: Record<string, string> | undefined): boolean {
  return labels?.['istio'] !== undefined || labels?.['release'] === 'istio';
}

/**
 * Services Istio's gateway controllers create for Gateway API gateways and waypoints. portname.go
 * tests `ok && v == gateway || v == mesh || v == east-west`, which (v being empty when the label
 * is absent) is the same as the label holding one of the three.
 */
function isManagedGatewayService(labels: Record<string, string> | undefined): boolean {
  const value = labels?.['gateway.istio.io/managed'];
  return value === 'istio.io-gateway-controller' || value === 'istio.io-mesh-controller' || value === 'istio.io-eastwest-controller';
}

/**
 * Service ports must tell Istio their protocol by name (`http-web`) or appProtocol (IST0118); an
 * ExternalName Service needs an application protocol, not plain TCP (IST0150).
 */
export const portNameAnalyzer: Analyzer = {
  name: 'service.PortNameAnalyzer',
  codes: ['IST0118', 'IST0150'],
  goFile: 'service/portname.go',
  analyze(context) {
    for (const service of context.index.ofKind(KINDS.Service)) {
      if (isIstioControlPlane(service.metadata?.labels) || isManagedGatewayService(service.metadata?.labels)) continue;
      const externalName = service.spec?.type === 'ExternalName';
      (service.spec?.ports ?? []).forEach((port: any, index: number) => {
        const protocol = servicePortProtocol(port ?? {});
        const path = `spec.ports[${index}]`;
        if (externalName) {
          // Only a port named exactly `tcp`, as portname.go reads it.
          if (protocol === undefined || port?.name === 'tcp') context.report('ExternalNameServiceTypeInvalidPortName', service, [], path);
        } else if (protocol === undefined) {
          const targetPort = port?.targetPort === undefined ? '0' : String(port.targetPort);
          context.report('PortNameIsNotUnderNamingConvention', service, [port?.name ?? '', port?.port, targetPort], path);
        }
      });
    }
  },
};
