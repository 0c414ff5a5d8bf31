import { MeshformError } from '../core/index.js';
import { applicationUidAnalyzer } from './analyzers/application-uid.js';
import { annotationsAnalyzer } from './analyzers/annotations.js';
import { authorizationPoliciesAnalyzer } from './analyzers/authorization-policies.js';
import { blockedCidrsAnalyzer } from './analyzers/blocked-cidrs.js';
import { serviceAssociationAnalyzer } from './analyzers/deployment-services.js';
import { deprecationAnalyzer } from './analyzers/deprecations.js';
import { caCertificateAnalyzer } from './analyzers/destination-rule-certificates.js';
import { podNotSelectedAnalyzer } from './analyzers/destination-rule-subsets.js';
import { envoyPatchAnalyzer } from './analyzers/envoy-filters.js';
import { gatewayCertificateAnalyzer } from './analyzers/gateway-certificates.js';
import { conflictingGatewayAnalyzer } from './analyzers/gateway-conflicts.js';
import { gatewayIngressPortAnalyzer } from './analyzers/gateway-ingress-port.js';
import { gatewaySecretAnalyzer } from './analyzers/gateway-secrets.js';
import { injectionAnalyzer } from './analyzers/injection.js';
import { kubernetesGatewaySelectorAnalyzer } from './analyzers/kubernetes-gateway-selectors.js';
import {
  defaultRouteAnalyzer,
  gatewayWorkloadAnalyzer,
  mtlsConflictAnalyzer,
  routeWeightsAnalyzer,
  serviceSelectorAnalyzer,
} from './analyzers/meshform-checks.js';
import { schemaValidationAnalyzer } from './analyzers/schema-validation.js';
import { conflictingServiceEntryProtocolAnalyzer, protocolAddressesAnalyzer } from './analyzers/service-entries.js';
import { portNameAnalyzer } from './analyzers/service-port-names.js';
import { sidecarSelectorAnalyzer } from './analyzers/sidecar-selectors.js';
import { telemetryDefaultSelectorAnalyzer, telemetryProviderAnalyzer, telemetrySelectorAnalyzer } from './analyzers/telemetry.js';
import { destinationHostAnalyzer } from './analyzers/virtual-service-destinations.js';
import { gatewayAnalyzer } from './analyzers/virtual-service-gateways.js';
import { jwtClaimRouteAnalyzer } from './analyzers/virtual-service-jwt-claims.js';
import { conflictingMeshGatewayHostsAnalyzer } from './analyzers/virtual-service-mesh-hosts.js';
import { destinationRuleAnalyzer } from './analyzers/virtual-service-subsets.js';
import { AnalysisContext, type Analyzer } from './context.js';
import { DEFAULT_INGRESS_GATEWAY } from './default-resources.js';
import { compareDiagnostics, type Diagnostic } from './diagnostic.js';
import type { KubeObject } from './manifest.js';
import type { MeshConfig } from './mesh-config.js';
import { ResourceIndex } from './resource-index.js';
import { wellTyped } from './well-typed.js';

/** Every analyzer, Istio's under Istio's names. MF0004 is added per run: it needs to know the defaults. */
export const ANALYZERS: readonly Analyzer[] = [
  annotationsAnalyzer,
  authorizationPoliciesAnalyzer,
  blockedCidrsAnalyzer,
  serviceAssociationAnalyzer,
  deprecationAnalyzer,
  applicationUidAnalyzer,
  caCertificateAnalyzer,
  podNotSelectedAnalyzer,
  envoyPatchAnalyzer,
  gatewayIngressPortAnalyzer,
  conflictingGatewayAnalyzer,
  gatewayCertificateAnalyzer,
  gatewaySecretAnalyzer,
  injectionAnalyzer,
  kubernetesGatewaySelectorAnalyzer,
  schemaValidationAnalyzer,
  protocolAddressesAnalyzer,
  conflictingServiceEntryProtocolAnalyzer,
  portNameAnalyzer,
  sidecarSelectorAnalyzer,
  telemetryProviderAnalyzer,
  telemetrySelectorAnalyzer,
  telemetryDefaultSelectorAnalyzer,
  destinationHostAnalyzer,
  destinationRuleAnalyzer,
  gatewayAnalyzer,
  conflictingMeshGatewayHostsAnalyzer,
  jwtClaimRouteAnalyzer,
  defaultRouteAnalyzer,
  routeWeightsAnalyzer,
  serviceSelectorAnalyzer,
  mtlsConflictAnalyzer,
];

export const ANALYZER_NAMES: readonly string[] = [...ANALYZERS.map((a) => a.name), 'meshform.GatewayWorkloadAnalyzer'].sort();

export interface AnalyzeOptions {
  /**
   * The mesh config (root namespace, default providers, proxy metadata).
   * @default - Istio's defaults
   */
  readonly meshConfig?: MeshConfig;
  /**
   * Objects assumed to exist besides the input, as istioctl assumes its default ingress gateway.
   * @default DEFAULT_INGRESS_GATEWAY
   */
  readonly defaultResources?: readonly KubeObject[];
  /**
   * Run only these analyzers (names as in ANALYZER_NAMES).
   * @default - all
   */
  readonly analyzers?: readonly string[];
  /**
   * Skip these analyzers.
   * @default - none
   */
  readonly exclude?: readonly string[];
}

/**
 * Analyzes a set of manifests the way `istioctl analyze --use-kube=false` does, plus meshform's
 * own checks. Pure: objects in, diagnostics out, in a stable order without duplicates.
 */
export function analyze(objects: readonly KubeObject[], options: AnalyzeOptions = {}): Diagnostic[] {
  const defaults = options.defaultResources ?? DEFAULT_INGRESS_GATEWAY;
  for (const name of [...(options.analyzers ?? []), ...(options.exclude ?? [])]) {
    if (!ANALYZER_NAMES.includes(name)) {
      throw new MeshformError(`there is no analyzer "${name}"`, { field: 'analyzers', fix: `Analyzers are: ${ANALYZER_NAMES.join(', ')}.` });
    }
  }
  const selected = [...ANALYZERS, gatewayWorkloadAnalyzer(new Set(defaults))].filter(
    (analyzer) => (!options.analyzers || options.analyzers.includes(analyzer.name)) && !options.exclude?.includes(analyzer.name),
  );
  const all = [...objects, ...defaults];
  const context = new AnalysisContext(new ResourceIndex(wellTyped(all)), options.meshConfig ?? {}, all);
  for (const analyzer of selected) analyzer.analyze(context);

  const seen = new Set<string>();
  return context.diagnostics
    .filter((diagnostic) => {
      const key = `${diagnostic.code}|${diagnostic.origin}|${diagnostic.message}|${diagnostic.path ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(compareDiagnostics);
}
