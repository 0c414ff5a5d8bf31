/**
 * Istio's annotations: the kinds each belongs on, its feature phase and whether it is deprecated
 * (facts from Istio's annotation reference, for Istio 1.29).
 */
export interface AnnotationFacts {
  /** Kinds the annotation belongs on; `Any` for every kind. */
  readonly resources: readonly string[];
  readonly status: 'Alpha' | 'Beta' | 'Stable' | 'Unspecified';
  readonly deprecated: boolean;
}

export const ISTIO_ANNOTATIONS: ReadonlyMap<string, AnnotationFacts> = new Map<string, AnnotationFacts>([
  ['prometheus.istio.io/merge-metrics', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['alpha.istio.io/kubernetes-serviceaccounts', { resources: ['Service'], status: 'Alpha', deprecated: true }],
  ['alpha.istio.io/canonical-serviceaccounts', { resources: ['Service'], status: 'Alpha', deprecated: true }],
  ['networking.istio.io/exportTo', { resources: ['Service'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/inject', { resources: ['Pod'], status: 'Beta', deprecated: true }],
  ['sidecar.istio.io/status', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/rewriteAppHTTPProbers', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/discoveryAddress', { resources: ['Pod'], status: 'Alpha', deprecated: true }],
  ['sidecar.istio.io/proxyImage', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/proxyImageType', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/proxyCPU', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/proxyCPULimit', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/proxyMemory', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/proxyMemoryLimit', { resources: ['Pod'], status: 'Unspecified', deprecated: false }],
  ['sidecar.istio.io/interceptionMode', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/bootstrapOverride', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/statsInclusionPrefixes', { resources: ['Pod'], status: 'Alpha', deprecated: true }],
  ['sidecar.istio.io/statsInclusionSuffixes', { resources: ['Pod'], status: 'Alpha', deprecated: true }],
  ['sidecar.istio.io/statsInclusionRegexps', { resources: ['Pod'], status: 'Alpha', deprecated: true }],
  ['sidecar.istio.io/statsHistogramBuckets', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/statsFlushInterval', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/statsEvictionInterval', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/statsHistogramBins', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/userVolume', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/userVolumeMount', { resources: ['Pod'], status: 'Unspecified', deprecated: false }],
  ['status.sidecar.istio.io/port', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/logLevel', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/componentLogLevel', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/agentLogLevel', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/nativeSidecar', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['readiness.status.sidecar.istio.io/initialDelaySeconds', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['readiness.status.sidecar.istio.io/periodSeconds', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['readiness.status.sidecar.istio.io/failureThreshold', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['readiness.status.sidecar.istio.io/applicationPorts', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['traffic.istio.io/nodeSelector', { resources: ['Service'], status: 'Stable', deprecated: false }],
  ['traffic.sidecar.istio.io/includeOutboundIPRanges', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['traffic.sidecar.istio.io/excludeOutboundIPRanges', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['traffic.sidecar.istio.io/includeInboundPorts', { resources: ['Pod'], status: 'Unspecified', deprecated: false }],
  ['traffic.sidecar.istio.io/excludeInboundPorts', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['traffic.sidecar.istio.io/excludeInterfaces', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['traffic.sidecar.istio.io/includeOutboundPorts', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['traffic.sidecar.istio.io/excludeOutboundPorts', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['traffic.sidecar.istio.io/kubevirtInterfaces', { resources: ['Pod'], status: 'Alpha', deprecated: true }],
  ['kubernetes.io/ingress.class', { resources: ['Ingress'], status: 'Stable', deprecated: false }],
  ['galley.istio.io/analyze-suppress', { resources: ['Any'], status: 'Alpha', deprecated: false }],
  ['proxy.istio.io/config', { resources: ['Pod'], status: 'Beta', deprecated: false }],
  ['istio.io/dry-run', { resources: ['AuthorizationPolicy'], status: 'Alpha', deprecated: false }],
  ['istio.io/rev', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['proxy.istio.io/overrides', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['inject.istio.io/templates', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/extraStatTags', { resources: ['Pod'], status: 'Alpha', deprecated: true }],
  ['istio.io/autoRegistrationGroup', { resources: ['WorkloadEntry'], status: 'Alpha', deprecated: false }],
  ['istio.io/workloadController', { resources: ['WorkloadEntry'], status: 'Alpha', deprecated: false }],
  ['istio.io/connectedAt', { resources: ['WorkloadEntry'], status: 'Alpha', deprecated: false }],
  ['istio.io/disconnectedAt', { resources: ['WorkloadEntry'], status: 'Alpha', deprecated: false }],
  ['topology.istio.io/controlPlaneClusters', { resources: ['Namespace'], status: 'Alpha', deprecated: false }],
  ['gateway.istio.io/controller-version', { resources: ['Any'], status: 'Alpha', deprecated: false }],
  ['ambient.istio.io/redirection', { resources: ['Pod'], status: 'Beta', deprecated: false }],
  ['ambient.istio.io/waypoint-inbound-binding', { resources: ['GatewayClass', 'Gateway'], status: 'Alpha', deprecated: false }],
  ['gateway.istio.io/service-account', { resources: ['Gateway'], status: 'Alpha', deprecated: false }],
  ['gateway.istio.io/name-override', { resources: ['Gateway'], status: 'Alpha', deprecated: false }],
  ['networking.istio.io/service-type', { resources: ['Gateway'], status: 'Alpha', deprecated: false }],
  ['networking.istio.io/traffic-distribution', { resources: ['Namespace', 'Service', 'ServiceEntry'], status: 'Alpha', deprecated: false }],
  ['istio.io/use-waypoint-canary-weight', { resources: ['Service', 'ServiceEntry', 'Namespace'], status: 'Alpha', deprecated: false }],
  ['ambient.istio.io/bypass-inbound-capture', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['istio.io/reroute-virtual-interfaces', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['ambient.istio.io/dns-capture', { resources: ['Pod'], status: 'Alpha', deprecated: false }],
  ['sidecar.istio.io/statsCompression', { resources: ['Pod'], status: 'Alpha', deprecated: true }],
]);

/** True for annotations Istio owns: a key whose prefix ends in istio.io, plus the documented ingress class. */
export function isIstioAnnotation(key: string): boolean {
  if (key === 'kubernetes.io/ingress.class') return true;
  const slash = key.indexOf('/');
  return slash > 0 && key.slice(0, slash).endsWith('istio.io');
}
