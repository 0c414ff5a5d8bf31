/** The props and options interfaces whose values the constructs check at run time. */
export const PROP_TYPES = [
  'MeshProps',
  'MeshDefaultsProps',
  'MeshServiceProps',
  'CanaryServiceProps',
  'MeshWorkerProps',
  'MeshJobProps',
  'TaskPodTemplateProps',
  'MeshGatewayProps',
  'EgressGatewayProps',
  'ExternalServiceProps',
  'GatewayRouteOptions',
  'ServiceRoute',
  'ConnectOptions',
  'JwtRequirement',
  'GatewayJwtRequirement',
  'AirflowOptions',
  'NifiOptions',
] as const;

export type PropType = (typeof PROP_TYPES)[number];

/**
 * Props typed as parts of Istio's own specs (a raw `trafficPolicy`): checked at synth by the CRD
 * schemas, whose messages name the field in Istio's terms, and here only as objects.
 */
export const ISTIO_SPEC_TYPES = ['TrafficPolicy', 'IstioTrafficPolicy', 'LoadBalancerSettings', 'OutlierDetection', 'HttpRoute', 'HttpMatchRequest'] as const;
