import type { Level } from './diagnostic.js';

/** A message kind: its code, level, text template (Go-style verbs) and how to fix it. */
export interface MessageType {
  readonly code: string;
  readonly level: Level;
  readonly template: string;
  readonly fix?: string;
}

function message(code: string, level: Level, template: string, fix?: string): MessageType {
  return { code, level, template, fix };
}

/** Istio's analyzer messages (codes, levels and texts as istioctl prints them) and meshform's own. */
export const MESSAGES = {
  Deprecated: message('IST0002', 'Warning', 'Deprecated: %s', 'Move to the replacement named in the message.'),
  ReferencedResourceNotFound: message('IST0101', 'Error', 'Referenced %s not found: %q', 'Create the referenced resource or correct the reference.'),
  NamespaceNotInjected: message(
    'IST0102',
    'Info',
    "The namespace is not enabled for Istio injection. Run 'kubectl label namespace %s istio-injection=enabled' to enable it, or 'kubectl label namespace %s istio-injection=disabled' to explicitly mark it as not needing injection.",
  ),
  PodMissingProxy: message('IST0103', 'Warning', 'The pod %s is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.'),
  SchemaValidationError: message('IST0106', 'Error', 'Schema validation error: %v', 'Correct the field named in the message.'),
  MisplacedAnnotation: message('IST0107', 'Warning', 'Misplaced annotation: %s can only be applied to %s', 'Move the annotation to a resource of the kind it belongs on (for pods: the pod template).'),
  UnknownAnnotation: message('IST0108', 'Warning', 'Unknown annotation: %s', 'Check the spelling against the Istio annotation reference.'),
  ConflictingMeshGatewayVirtualServiceHosts: message(
    'IST0109',
    'Error',
    'The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
  ),
  ConflictingSidecarWorkloadSelectors: message(
    'IST0110',
    'Error',
    'The Sidecars %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.',
    'Make the workload selectors disjoint.',
  ),
  MultipleSidecarsWithoutWorkloadSelectors: message(
    'IST0111',
    'Error',
    'The Sidecars %v in namespace %q have no workload selector, which can lead to undefined behavior.',
    'Keep one namespace-wide Sidecar and give the others a workloadSelector.',
  ),
  VirtualServiceDestinationPortSelectorRequired: message(
    'IST0112',
    'Error',
    'This VirtualService routes to a service %q that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate.',
    'Add destination.port.number.',
  ),
  DeploymentAssociatedToMultipleServices: message(
    'IST0116',
    'Warning',
    'This deployment %s is associated with multiple services using port %d but different protocols: %v',
    'Use one protocol per port across the Services that select these pods.',
  ),
  PortNameIsNotUnderNamingConvention: message(
    'IST0118',
    'Info',
    "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port.",
    'Name the port <protocol>[-<suffix>] (http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp) or set appProtocol.',
  ),
  NamespaceInjectionEnabledByDefault: message('IST0148', 'Info', 'is enabled for Istio injection, as Istio is installed with enableNamespacesByDefault as true.'),
  NamespaceMultipleInjectionLabels: message(
    'IST0123',
    'Warning',
    'The namespace has more than one type of injection labels %v, which may lead to undefined behavior. Make sure only one injection label exists.',
  ),
  ImageAutoWithoutInjectionWarning: message('IST0146', 'Warning', '%s %s contains `image: auto` but does not match any Istio injection webhook selectors.', 'Label the namespace or the pods for injection, or set the proxy image.'),
  ImageAutoWithoutInjectionError: message('IST0147', 'Error', '%s %s contains `image: auto` but does not match any Istio injection webhook selectors.', 'Inject the pod (or recreate it where the injector runs), or set the proxy image.'),
  InvalidWebhook: message('IST0139', 'Error', '%s', 'Make the injection webhooks select disjoint namespaces and pods, and point them at the istiod Service.'),
  InvalidAnnotation: message('IST0125', 'Warning', 'Invalid annotation %s: %s'),
  UnknownMeshNetworksServiceRegistry: message(
    'IST0126',
    'Error',
    'Unknown service registry %s in network %s',
    'Name Kubernetes, External or a cluster of a remote-cluster Secret (label istio/multiCluster: "true").',
  ),
  NoMatchingWorkloadsFound: message(
    'IST0127',
    'Warning',
    'No matching workloads for this resource with the following labels: %s',
    'Correct the selector, or deploy the workloads it is meant for.',
  ),
  NoServerCertificateVerificationDestinationLevel: message(
    'IST0128',
    'Warning',
    'DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s',
    'Set trafficPolicy.tls.caCertificates (or a credentialName with a workloadSelector).',
  ),
  NoServerCertificateVerificationPortLevel: message(
    'IST0129',
    'Warning',
    'DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s at port %s',
    'Set caCertificates in the port-level TLS settings.',
  ),
  VirtualServiceUnreachableRule: message('IST0130', 'Warning', 'VirtualService rule %v not used (%s).', 'Remove the rule or move it before the rule that shadows it.'),
  VirtualServiceIneffectiveMatch: message(
    'IST0131',
    'Info',
    'VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v).',
    'Remove the match or make it more specific than the earlier one.',
  ),
  VirtualServiceHostNotFoundInGateway: message(
    'IST0132',
    'Warning',
    'one or more host %v defined in VirtualService %s not found in Gateway %s.',
    "Add the host to one of the gateway's servers, or correct the VirtualService host.",
  ),
  SchemaWarning: message('IST0133', 'Warning', 'Schema validation warning: %v', 'Change the field named in the warning as it says.'),
  ServiceEntryAddressesRequired: message(
    'IST0134',
    'Warning',
    'ServiceEntry addresses are required for this protocol.',
    'Add spec.addresses, or give the port an application protocol such as HTTP or TLS.',
  ),
  DeprecatedAnnotation: message('IST0135', 'Info', 'Annotation %q has been deprecated%s and may not work in future Istio versions.'),
  AlphaAnnotation: message('IST0136', 'Info', 'Annotation %q is part of an alpha-phase feature and may be incompletely supported.'),
  DeploymentConflictingPorts: message(
    'IST0137',
    'Warning',
    'This deployment %s is associated with multiple services %v using targetPort %q but different ports: %v.',
  ),
  GatewayDuplicateCertificate: message(
    'IST0138',
    'Warning',
    'Duplicate certificate in multiple gateways %v may cause 404s if clients re-use HTTP2 connections.',
    'Give each gateway its own certificate, or merge the gateways.',
  ),
  ReferencedInternalGateway: message(
    'IST0165',
    'Warning',
    'Gateway reference in VirtualService %s is to an implementation-generated internal Gateway: %s.',
    'Bind to the Kubernetes Gateway (parentRefs in an HTTPRoute) or to an Istio Gateway of your own.',
  ),
  IngressRouteRulesNotAffected: message(
    'IST0140',
    'Warning',
    'Subset in virtual service %s has no effect on ingress gateway %s requests',
    'Name the subset in the gateway route too, or bind the mesh VirtualService to the gateway.',
  ),
  InvalidApplicationUID: message('IST0144', 'Warning', 'User ID (UID) 1337 is reserved for the sidecar proxy.', 'Run the application as another user.'),
  ConflictingGateways: message(
    'IST0145',
    'Error',
    'Conflict with gateways %s (workload selector %s, port %s, hosts %v).',
    'Merge the gateways, or give them distinct hosts or ports.',
  ),
  JwtClaimBasedRoutingWithoutRequestAuthN: message(
    'IST0149',
    'Error',
    'The virtual service uses the JWT claim based routing (key: %s) but found no request authentication for the gateway (%s) pod (%s). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.',
  ),
  ExternalNameServiceTypeInvalidPortName: message(
    'IST0150',
    'Warning',
    'Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly',
    'Name the port after its application protocol (http, https, tls, …).',
  ),
  EnvoyFilterUsesRelativeOperation: message(
    'IST0151',
    'Warning',
    'This EnvoyFilter does not have a priority and has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST of ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.',
  ),
  EnvoyFilterUsesReplaceOperationIncorrectly: message('IST0152', 'Error', 'The REPLACE operation is only valid for HTTP_FILTER and NETWORK_FILTER.'),
  EnvoyFilterUsesAddOperationIncorrectly: message('IST0153', 'Error', 'The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.'),
  EnvoyFilterUsesRemoveOperationIncorrectly: message('IST0154', 'Error', 'The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.'),
  EnvoyFilterUsesRelativeOperationWithProxyVersion: message(
    'IST0155',
    'Warning',
    'This EnvoyFilter does not have a priority and has a relative patch operation (NSTERT_BEFORE/AFTER, REPLACE, MERGE, DELETE) and proxyVersion set which can cause the EnvoyFilter not to be applied during an upgrade. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.',
  ),
  InvalidTelemetryProvider: message(
    'IST0157',
    'Warning',
    'The Telemetry %v in namespace %q with empty providers will be ignored.',
    'Name a provider, or set defaultProviders in the mesh config.',
  ),
  PodsIstioProxyImageMismatchInNamespace: message(
    'IST0158',
    'Warning',
    'The Istio proxy images of the pods running in the namespace do not match the image defined in the injection configuration (pod names: %v). This often happens after upgrading the Istio control-plane and can be fixed by redeploying the pods.',
    'Restart the workloads (kubectl rollout restart) so that their pods are injected anew.',
  ),
  ConflictingTelemetryWorkloadSelectors: message(
    'IST0159',
    'Error',
    'The Telemetries %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.',
  ),
  MultipleTelemetriesWithoutWorkloadSelectors: message(
    'IST0160',
    'Error',
    'The Telemetries %v in namespace %q have no workload selector, which can lead to undefined behavior.',
  ),
  InvalidGatewayCredential: message(
    'IST0161',
    'Error',
    'The credential referenced by the Gateway %s in namespace %s is invalid, which can cause the traffic not to work as expected.',
  ),
  GatewayPortNotDefinedOnService: message(
    'IST0162',
    'Warning',
    'The gateway is listening on a target port (port %d) that is not defined in the Service associated with its workload instances (Pod selector %s). If you need to access the gateway port through the gateway Service, it will not be available.',
    "Expose the port on the gateway's Service, or listen on a port the Service has.",
  ),
  InvalidExternalControlPlaneConfig: message(
    'IST0163',
    'Warning',
    'The hostname (%s) that was provided for the webhook (%s) to reach the ingress gateway on the external control plane cluster %s. Traffic may not flow properly.',
    "Set the webhook's clientConfig.url to https://<istiod host>:15017/<path>, or name the istiod Service.",
  ),
  ExternalControlPlaneAddressIsNotAHostname: message(
    'IST0164',
    'Info',
    'The address (%s) that was provided for the webhook (%s) to reach the ingress gateway on the external control plane cluster is an IP address. This is not recommended for a production environment.',
    'Reach the external control plane by a DNS name, which survives its address changing.',
  ),
  IneffectiveSelector: message('IST0166', 'Warning', 'Ineffective selector on Kubernetes Gateway %s. Use the TargetRef field instead.'),
  IneffectivePolicy: message('IST0167', 'Warning', 'The policy has no impact: %s.'),
  NegativeConditionStatus: message(
    'IST0171',
    'Warning',
    'A condition with a negative status is present: type=%s, reason=%s, message=%s.',
    'Correct what the condition names; the controller updates the status once it accepts the object.',
  ),
  DestinationRuleSubsetNotSelectPods: message(
    'IST0173',
    'Error',
    'The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
    "Make the subset's labels match the labels of the pods of that version.",
  ),
  UnknownDestinationRuleHost: message('IST0174', 'Warning', 'The host %s defined in the DestinationRule does not match any services in the mesh.'),
  JwksUriFetchUnrestricted: message(
    'IST0175',
    'Warning',
    'BLOCKED_CIDRS_IN_JWKS_URIS is not configured but %d RequestAuthentication resource(s) exist (%s). Consider configuring it to restrict JWKS URI fetches to trusted networks.',
  ),
  ConflictingServiceEntryProtocol: message(
    'IST0177',
    'Warning',
    'Multiple ServiceEntries (%s) define the same host %q and port %d with conflicting protocols (%s).',
  ),
  // meshform's own checks: what the debugging checklist needs and Istio does not report.
  NoDefaultRoute: message(
    'MF0001',
    'Warning',
    'HTTP route %s is the last one and has a match, so requests that match no route get 404 (no default route)',
    'End the http list with a route that has no match.',
  ),
  NoDefaultGatewayRoute: message(
    'MF0001',
    'Info',
    'HTTP route %s is the last one and has a match: requests on the gateway that match no route get 404',
    'Add a final route without match if every path should be served.',
  ),
  WeightsNotHundred: message(
    'MF0002',
    'Error',
    'the weights of HTTP route %s add up to %d (%s); they must add up to 100',
    'Change the weights so that they add up to 100.',
  ),
  ServiceSelectsNoPods: message(
    'MF0003',
    'Warning',
    'the selector %s of this Service matches no pod or pod template in namespace %s',
    "Make the Service's selector match the labels of the pod template.",
  ),
  GatewayWorkloadNotInManifests: message(
    'MF0004',
    'Info',
    'no gateway workload in these manifests has the labels %s; the Gateway only works if a gateway deployment installed elsewhere has them%s',
    'Check the selector against the labels of your ingress gateway pods.',
  ),
  MtlsConflict: message(
    'MF0005',
    'Error',
    'TLS mode DISABLE for host %s, but PeerAuthentication %s requires STRICT mutual TLS for its workloads: every request will fail',
    'Use tls.mode ISTIO_MUTUAL (or leave TLS unset), or relax the PeerAuthentication.',
  ),
  MtlsDisabledPort: message(
    'MF0008',
    'Error',
    'TLS mode ISTIO_MUTUAL for host %s port %s, but PeerAuthentication %s disables mutual TLS on that port: every request will fail',
    'Set tls.mode DISABLE for that port in portLevelSettings, or drop the port-level DISABLE.',
  ),
  UnreachableWorkload: message(
    'MF0007',
    'Warning',
    'no request can reach the pods of this Service in namespace %s: ALLOW policies apply to them and none has a rule (nobody is admitted)',
    'Declare its callers (client.connectTo(server)) or route to it, or remove the workload.',
  ),
  GatewayHostNotBound: message(
    'MF0009',
    'Warning',
    'host %s is served by %s, but this VirtualService names no gateways: it applies to sidecars only, and the gateway has no route for the host (404)',
    "Add the Gateway to spec.gateways (and 'mesh' to keep the routes for sidecars).",
  ),
  HttpsRedirectWithoutHttps: message(
    'MF0010',
    'Warning',
    'this HTTP server redirects host %s to HTTPS, but no HTTPS server of any Gateway serves that host: the redirected requests find no listener',
    'Add an HTTPS server for the host, or drop tls.httpsRedirect.',
  ),
  MethodNotUpperCase: message(
    'MF0011',
    'Warning',
    'method %q never matches: Istio compares request methods case-sensitively, and clients send them upper-case (%s)',
    'Write the method upper-case.',
  ),
  MalformedApiVersion: message(
    'MF0012',
    'Error',
    'apiVersion %s is not an API version (group/version, or a version of the core group such as v1): no API server takes this object, and nothing else checks it',
    'Write the apiVersion as the kind documents it, for example networking.istio.io/v1.',
  ),
  UnknownApiVersion: message(
    'MF0012',
    'Error',
    'no kind %s is served in %s: kubectl apply refuses the object (no matches for kind), and nothing else checks it',
    'Use a version the CRDs serve (networking.istio.io/v1, gateway.networking.k8s.io/v1) and check the spelling of the kind.',
  ),
  DuplicateObject: message(
    'MF0006',
    'Error',
    '%d manifests define this object (same group, kind, namespace and name)%s: applied, the last one overwrites the others',
    'Give each object its own name, or remove the copies.',
  ),
} as const;

export type MessageName = keyof typeof MESSAGES;

/** Fills a Go-style template (`%s %d %q %v`) the way istioctl prints it. */
export function formatTemplate(template: string, args: readonly unknown[]): string {
  let index = 0;
  return template.replace(/%([sdqv%])/g, (_match, verb: string) => {
    if (verb === '%') return '%';
    const value = args[index++];
    if (verb === 'q') return JSON.stringify(String(value));
    if (Array.isArray(value)) return `[${value.map(String).join(' ')}]`;
    return String(value);
  });
}
