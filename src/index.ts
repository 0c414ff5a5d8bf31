/**
 * meshform: typed infrastructure-as-code for the Istio service mesh. This entry exports what
 * users build with; the layers' own index files hold the rest for meshform's code and tests.
 */
// Every bundled schema model, for synchronous validation (the CLI loads only its input's kinds).
import '../imports/schema-models.js';

// Constructs (L2/L3) and their options.
export { Mesh, type MeshProps, type MtlsMode } from './constructs/mesh.js';
export { MeshDefaults, type MeshDefaultsProps } from './constructs/mesh-defaults.js';
export {
  TracingTag,
  type AccessLogOptions,
  type IstioMetric,
  type MetricOverride,
  type MetricsOptions,
  type TelemetryOptions,
  type TracingOptions,
  type TrafficSide,
} from './constructs/observability/telemetry-options.js';
export { ExtensionProvider, type ExtensionProviderConfig, type ProviderEndpoint } from './constructs/observability/extension-provider.js';
export type { GatewayJwtRequirement, JwtRequirement } from './constructs/security/jwt-requirement.js';
export type { CertificateIssuer, CertificateOptions } from './constructs/security/certificate.js';
export type { PortMtlsMode, WorkloadMtls } from './constructs/security/workload-mtls.js';
export { IdentifiedWorkload, type IdentifiedWorkloadProps } from './constructs/identified-workload.js';
export { MeshWorkload, type MeshWorkloadProps, type WorkloadVersion } from './constructs/mesh-workload.js';
export { MeshService, type MeshServiceProps } from './constructs/mesh-service.js';
export {
  CanaryService,
  CONTROLLER_ROUTE,
  type CanaryServiceProps,
  type CanaryVersion,
  type IgnoreDifferences,
  type RolloutOptions,
  type WeightsOwner,
} from './constructs/canary-service.js';
export type { ServiceRoute } from './constructs/routing/service-routing.js';
export { MeshGateway, type GatewayHttpListener, type GatewayHttpsListener, type GatewayRouteOptions, type InstalledIngressGateway, type MeshGatewayProps } from './constructs/mesh-gateway.js';
export type { GatewayDeploymentOptions } from './constructs/gateway-deployment.js';
export { MeshJob, type MeshJobProps } from './constructs/batch/mesh-job.js';
export { MeshWorker, type MeshWorkerProps } from './constructs/mesh-worker.js';
export { TaskPodTemplate, type TaskPodTemplateProps } from './constructs/batch/task-pod-template.js';
export {
  Autoscaling,
  type CpuAutoscalingOptions,
  type DisruptionBudget,
  type KedaAutoscalingOptions,
  type KedaTrigger,
  type ScaleTarget,
} from './constructs/scaling/autoscaling.js';
export type { StatefulOptions, VolumeClaim } from './constructs/options/stateful-options.js';
export type { KubernetesApiRule } from './constructs/security/kubernetes-api-access.js';
export type { PlacementProps } from './constructs/options/placement.js';
export type { PortTls } from './constructs/options/traffic-policy.js';
export type { CallableWorkload, Principal } from './constructs/workload-identity.js';
export type { CallOperation, ConnectOptions } from './constructs/routing/connect-options.js';
export { ExternalService, type ExternalResolution, type ExternalServiceProps } from './constructs/egress/external-service.js';
export { EgressGateway, type EgressGatewayProps, type EgressMode, type ExistingEgressGateway } from './constructs/egress/egress-gateway.js';
export type { SidecarSettings } from './constructs/pod-template.js';
export type { InjectionMode, ProxyOptions, ProxyResources, StatsSelection } from './constructs/options/sidecar-options.js';
export type { ContainerOptions, ContainerResources, FileVolume, ResourceAmounts, ScratchVolume, SecretKeyReference, TopologySpread } from './constructs/options/workload-options.js';
export { HealthCheck, type HealthCheckOptions } from './constructs/options/health-check.js';
export { PathMatch, StringMatch, type HttpMatchRequest, type HttpMethod, type IstioStringMatch, type RequestMatch } from './constructs/routing/route-match.js';
export type {
  HttpRoute,
  HttpRouteDestination,
  HttpRouteOptions,
  MirrorOptions,
  RedirectOptions,
  RewriteOptions,
  RouteRule,
  RouteTarget,
} from './constructs/routing/http-route-options.js';
export type { RetryCondition, RetryOptions } from './constructs/routing/retry-policy.js';
export type { AbortFault, DelayFault, FaultInjection } from './constructs/routing/fault-injection.js';
export type { CorsPolicy } from './constructs/routing/cors-policy.js';
export { LoadBalancer, type LoadBalancerSettings, type LocalityFailover } from './constructs/options/load-balancer.js';
export { CircuitBreaker, type EjectionOptions, type OutlierDetection } from './constructs/options/circuit-breaker.js';
export type { ClientTrafficOptions, ConnectionPoolOptions, IstioTrafficPolicy, PortTrafficOptions, TrafficPolicy } from './constructs/options/traffic-policy.js';
export { configureMeshAnalysis, enableMeshValidation, type MeshAnalysisOptions, type MeshFinding } from './constructs/validation/mesh-validation.js';

// Values and the manifest model.
export { MeshformError, type ErrorLocation, type MeshformProblem } from './core/errors.js';
export { ISTIO_PROTOCOLS, ServicePort, type IstioProtocol, type ServicePortOptions } from './core/ports.js';
export type { Labels } from './core/labels.js';
export type { KubeObject } from './core/manifests/kube-object.js';
export { parseManifests, type ParseOptions } from './core/manifests/parse-manifests.js';
export { parseMeshConfig, type MeshConfig, type ProxyConfig } from './core/manifests/mesh-config.js';
export { parseMeshNetworks, type MeshNetwork, type MeshNetworks, type MeshNetworkEndpoint } from './core/manifests/mesh-networks.js';

// The analyzer, the routing graph and the injector, for programs of your own.
export { analyze, listAnalyzers, type AnalyzeOptions, type AnalyzerInfo } from './analysis/analyze.js';
export type { Diagnostic, Level } from './analysis/diagnostic.js';
export { DEFAULT_INGRESS_GATEWAY } from './analysis/resources/default-resources.js';
export { graphAsDot, graphAsMermaid, routingGraph, type GraphEdge, type GraphNode, type RoutingGraph } from './analysis/routing-graph.js';
export { callGraph } from './analysis/call-graph.js';
export { footprintAsTable, proxyFootprint, type ProxyFootprint, type WorkloadFootprint } from './analysis/proxy-footprint.js';
export { injectObject, injectObjects, type InjectionOptions } from './injection/index.js';
export type { DeepPartial, InjectionValues, InjectionValuesOverride } from './injection/injection-values.js';

// The request tracer: where Istio sends one request, and why.
export { createTracer, traceRequest, type Tracer, type TraceOptions, type UrlRequest } from './trace/index.js';
export type { TraceDecider, TraceError, TraceHop, TraceMode, TraceOutcome, TraceProtocol, TraceProxy, TraceRequest, TraceResult } from './trace/index.js';

// Typed Istio kinds (L1).
export * from '../imports/networking.istio.io.js';
export * from '../imports/security.istio.io.js';
export * from '../imports/telemetry.istio.io.js';
export { IstioApiObject, type IstioApiObjectProps } from '../imports/istio-api-object.js';
export { schemaIssues, type SchemaIssue } from '../imports/schemas.js';
