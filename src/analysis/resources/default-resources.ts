import { ISTIO_SYSTEM_NAMESPACE, type KubeObject } from '../../core/index.js';

/**
 * What istioctl assumes exists in every analysis of local files: Istio's default ingress gateway
 * (a pod labelled `istio: ingressgateway` and its Service in istio-system).
 */
export const DEFAULT_INGRESS_GATEWAY: readonly KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'istio-ingressgateway-dummypod', namespace: ISTIO_SYSTEM_NAMESPACE, labels: { istio: 'ingressgateway' } },
    spec: { containers: [{ name: 'istio-proxy' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace: ISTIO_SYSTEM_NAMESPACE },
    spec: {
      selector: { istio: 'ingressgateway' },
      ports: [
        { name: 'http2', port: 80, targetPort: 80, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 443, protocol: 'TCP' },
        { name: 'tcp', port: 31400, targetPort: 31400, protocol: 'TCP' },
        { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
      ],
    },
  },
];
