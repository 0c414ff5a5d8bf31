/**
 * Registration of every analyzer, in one place. Istio's follow pkg/config/analysis/analyzers/all.go
 * (one folder per Go package, one file per Go analyzer); meshform's own are under meshform/.
 */
import type { Analyzer } from '../context.js';
import { annotationsAnalyzer } from './annotations/annotations.js';
import { alphaAnnotationAnalyzer } from './maturity/maturity.js';
import { blockedCidrsAnalyzer } from './authn/blocked-cidrs.js';
import { authorizationPoliciesAnalyzer } from './authz/authorization-policies.js';
import { conditionAnalyzer } from './conditions/conditions.js';
import { applicationUidAnalyzer } from './deployment/pod.js';
import { serviceAssociationAnalyzer } from './deployment/services.js';
import { deprecationAnalyzer } from './deprecation/deprecation.js';
import { caCertificateAnalyzer } from './destinationrule/ca-certificates.js';
import { podNotSelectedAnalyzer } from './destinationrule/subset.js';
import { envoyPatchAnalyzer } from './envoyfilter/envoy-filter.js';
import { externalControlPlaneAnalyzer } from './externalcontrolplane/external-control-plane.js';
import { gatewayCertificateAnalyzer } from './gateway/certificate.js';
import { conflictingGatewayAnalyzer } from './gateway/conflicting-gateway.js';
import { gatewayIngressPortAnalyzer } from './gateway/gateway.js';
import { gatewaySecretAnalyzer } from './gateway/secret.js';
import { injectionAnalyzer } from './injection/injection.js';
import { injectionImageAnalyzer } from './injection/injection-image.js';
import { kubernetesGatewaySelectorAnalyzer } from './k8sgateway/workload-selector.js';
import { meshNetworksAnalyzer } from './multicluster/meshnetworks.js';
import { defaultRouteAnalyzer } from './meshform/default-route.js';
import { duplicateObjectAnalyzer } from './meshform/duplicate-object.js';
import { gatewayWorkloadAnalyzer } from './meshform/gateway-workload.js';
import { mtlsConflictAnalyzer } from './meshform/mtls-conflict.js';
import { routeWeightsAnalyzer } from './meshform/route-weights.js';
import { serviceSelectorAnalyzer } from './meshform/service-selector.js';
import { unreachableWorkloadAnalyzer } from './meshform/unreachable-workload.js';
import { unboundGatewayHostAnalyzer } from './meshform/unbound-gateway-host.js';
import { httpsRedirectTargetAnalyzer } from './meshform/https-redirect-target.js';
import { methodCaseAnalyzer } from './meshform/method-case.js';
import { unknownApiVersionAnalyzer } from './meshform/unknown-api-version.js';
import { schemaValidationAnalyzers } from './schema/validation.js';
import { kubernetesSchemaAnalyzer } from './meshform/kubernetes-schema.js';
import { portNameAnalyzer } from './service/port-name.js';
import { conflictingServiceEntryProtocolAnalyzer } from './serviceentry/conflicting-service-entries.js';
import { protocolAddressesAnalyzer } from './serviceentry/protocol-addresses.js';
import { sidecarSelectorAnalyzer } from './sidecar/selector.js';
import { telemetryDefaultSelectorAnalyzer } from './telemetry/default-selector.js';
import { telemetryLightstepAnalyzer } from './telemetry/lightstep.js';
import { webhookAnalyzer } from './webhook/webhook.js';
import { imageAutoAnalyzer } from './injection/image-auto.js';
import { telemetryProviderAnalyzer } from './telemetry/providers.js';
import { telemetrySelectorAnalyzer } from './telemetry/selector.js';
import { conflictingMeshGatewayHostsAnalyzer } from './virtualservice/conflicting-mesh-gateway-hosts.js';
import { destinationHostAnalyzer } from './virtualservice/destination-hosts.js';
import { destinationRuleAnalyzer } from './virtualservice/destination-rules.js';
import { gatewayAnalyzer } from './virtualservice/gateways.js';
import { jwtClaimRouteAnalyzer } from './virtualservice/jwt-claim-route.js';

/** Every analyzer, Istio's under Istio's names. */
export const ANALYZERS: readonly Analyzer[] = [
  annotationsAnalyzer,
  alphaAnnotationAnalyzer,
  authorizationPoliciesAnalyzer,
  blockedCidrsAnalyzer,
  conditionAnalyzer,
  serviceAssociationAnalyzer,
  deprecationAnalyzer,
  applicationUidAnalyzer,
  caCertificateAnalyzer,
  podNotSelectedAnalyzer,
  envoyPatchAnalyzer,
  externalControlPlaneAnalyzer,
  gatewayIngressPortAnalyzer,
  conflictingGatewayAnalyzer,
  gatewayCertificateAnalyzer,
  gatewaySecretAnalyzer,
  injectionAnalyzer,
  injectionImageAnalyzer,
  kubernetesGatewaySelectorAnalyzer,
  meshNetworksAnalyzer,
  ...schemaValidationAnalyzers,
  protocolAddressesAnalyzer,
  conflictingServiceEntryProtocolAnalyzer,
  portNameAnalyzer,
  sidecarSelectorAnalyzer,
  telemetryProviderAnalyzer,
  telemetrySelectorAnalyzer,
  telemetryDefaultSelectorAnalyzer,
  telemetryLightstepAnalyzer,
  webhookAnalyzer,
  imageAutoAnalyzer,
  destinationHostAnalyzer,
  destinationRuleAnalyzer,
  gatewayAnalyzer,
  conflictingMeshGatewayHostsAnalyzer,
  jwtClaimRouteAnalyzer,
  defaultRouteAnalyzer,
  routeWeightsAnalyzer,
  serviceSelectorAnalyzer,
  unreachableWorkloadAnalyzer,
  mtlsConflictAnalyzer,
  duplicateObjectAnalyzer,
  gatewayWorkloadAnalyzer,
  kubernetesSchemaAnalyzer,
  unboundGatewayHostAnalyzer,
  httpsRedirectTargetAnalyzer,
  methodCaseAnalyzer,
  unknownApiVersionAnalyzer,
];
