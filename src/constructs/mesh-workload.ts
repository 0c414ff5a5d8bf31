import { MeshApiObject } from '../../imports/mesh-api-object.js';
import { ApiObject, Lazy } from 'cdk8s';
import { markMeshChanged } from './validation/synth-turn.js';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DestinationRule, type VirtualService } from '../../imports/networking.istio.io.js';
import { AuthorizationPolicy, PeerAuthentication } from '../../imports/security.istio.io.js';
import {
  assertDnsLabel,
  DEFAULT_CLUSTER_DOMAIN,
  MeshformError,
  serviceFqdn,
  ServicePort,
  assertPort,
  type ErrorLocation,
} from '../core/index.js';
import type { HttpRouteDestination, HttpRouteOptions, RouteTarget } from './routing/http-route-options.js';
import { renderTrafficPolicy, type ClientTrafficOptions, type PortTls, type PortTrafficOptions, type TrafficPolicy } from './options/traffic-policy.js';
import { ServiceRouting, type ServiceRoute } from './routing/service-routing.js';
import type { Principal } from './workload-identity.js';
import { IdentifiedWorkload, type IdentifiedWorkloadProps } from './identified-workload.js';
import type { CallOperation } from './routing/connect-options.js';
import type { HttpMethod } from './routing/route-match.js';
import { checkJwtRequirement, JwtEnforcement, type JwtRequirement } from './security/jwt-requirement.js';
import { Telemetry } from '../../imports/telemetry.istio.io.js';
import { renderDisruptionBudget, type DisruptionBudget } from './scaling/autoscaling.js';
import type { KubernetesApiRule } from './security/kubernetes-api-access.js';
import { renderStatefulFields, type StatefulOptions } from './options/stateful-options.js';
import { renderTelemetry, type TelemetryOptions } from './observability/telemetry-options.js';
import { checkWorkloadMtls, renderWorkloadPeerAuthentication, type PortMtls, type WorkloadMtls } from './security/workload-mtls.js';
import { createWorkload, renderPodTemplate } from './pod-template.js';
import type { ProxyOptions } from './options/sidecar-options.js';
import type { ContainerOptions } from './options/workload-options.js';
import { checkProps } from './validation/check-props.js';

/**
 * Props every meshed workload shares. The route options (timeout, retries, fault, mirror, cors,
 * rewrite) apply to the default route of the workload's own VirtualService; a plain MeshService
 * gets one only when it is given such options or routes.
 */
export interface MeshWorkloadProps extends IdentifiedWorkloadProps, HttpRouteOptions, ClientTrafficOptions {
  /**
   * Name of the Service (and prefix of the Deployments).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The port the Service exposes. A number is an HTTP port (`ServicePort.http(n)`).
   * Give `port` or `ports`.
   * @default - `ports`
   */
  readonly port?: number | ServicePort;
  /**
   * All ports the Service exposes, when there is more than one.
   * @default - `[port]`
   */
  readonly ports?: readonly ServicePort[];
  /**
   * Istio's own trafficPolicy fields, for what the typed loadBalancer, circuitBreaker and
   * connectionPool do not cover; a setting may be given one way only.
   * @default - Istio's defaults (no circuit breaking)
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Load balancing and resilience for single ports of the Service.
   * @default - the workload-wide settings on every port
   */
  readonly portTraffic?: readonly PortTrafficOptions[];
  /**
   * Rules ahead of the default route, in first-match order (see `addRoute`).
   * @default - only the default route
   */
  readonly routes?: readonly ServiceRoute[];
  /**
   * Settings of this workload's Envoy sidecar.
   * @default - the mesh's defaults
   */
  readonly proxy?: ProxyOptions;
  /**
   * Mutual TLS of this workload over its namespace's: its own mode, and ports that must take
   * plain text. Ports set to `DISABLE` get TLS `DISABLE` in the DestinationRule too.
   * @default - the namespace's mTLS on every port
   */
  readonly mtls?: WorkloadMtls;
  /**
   * Tracing, access logging and metrics of this workload's proxies, over its namespace's.
   * @default - the namespace's settings
   */
  readonly telemetry?: TelemetryOptions;
  /**
   * A PodDisruptionBudget for the workload's pods, so that node drains take them down one at a time.
   * @default - none
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Calls the workload makes to the Kubernetes API (leader election on Leases, state in
   * ConfigMaps): a Role and RoleBinding for its ServiceAccount.
   * @default - none
   */
  readonly kubernetesApiAccess?: readonly KubernetesApiRule[];
}

/** One version of a workload: its Deployment's label value and image. */
export interface WorkloadVersion extends ContainerOptions {
  readonly name: string;
  readonly image: string;
}

/**
 * The parts every meshed workload shares: a Service with Istio-named ports, a ServiceAccount, a
 * Deployment per version, a DestinationRule with a subset per version and mutual TLS, and an
 * AuthorizationPolicy that admits exactly the workloads that `connectTo` it.
 */
export abstract class MeshWorkload extends IdentifiedWorkload {
  public readonly ports: readonly ServicePort[];
  public readonly service: ApiObject;
  public readonly destinationRule: DestinationRule;

  private readonly proxy?: ProxyOptions;
  private readonly usesKubernetesApi: boolean;
  /** Each caller with what it may do (undefined: everything). */
  private readonly callers = new Map<string, { principal: Principal; operations?: CallOperation[] }>();
  /** The pods' ports that take plain text, whose callers have no identity to admit. */
  private readonly plainTextPorts: readonly number[];
  private readonly mirrorTargets = new Set<RouteTarget>();
  private readonly deployments = new Map<string, ApiObject>();
  private readonly subsetTraffic = new Map<string, TrafficPolicy>();
  private readonly routeDefaults: HttpRouteOptions;
  private routingTable?: ServiceRouting;
  private routeCount = 0;
  private jwt?: JwtEnforcement;
  private jwtCount = 0;
  /** Name of the headless Service of a StatefulSet workload. */
  private headlessService?: string;

  protected constructor(scope: Construct, id: string, props: MeshWorkloadProps) {
    super(scope, id, props);
    const path = this.node.path;
    this.ports = resolvePorts(props, path);
    this.proxy = props.proxy;
    this.usesKubernetesApi = props.kubernetesApiAccess !== undefined;
    this.routeDefaults = props;
    const trafficPolicy = renderTrafficPolicy(props, props.trafficPolicy, { construct: path });
    const portMtls = checkWorkloadMtls(props.mtls, this.ports, { construct: path });
    // A port's policy, typed as what meshform renders into it: checking these literals against
    // Istio's port-level union costs the checker about 20 s, and the synth check validates them.
    type PortLevelSetting = TrafficPolicy & { port: { number: number }; tls?: Record<string, string> };
    const portLevelSettings = (props.portTraffic ?? []).map(({ port, ...options }, index): PortLevelSetting => {
      if (!this.ports.some((declared) => declared.port === port)) {
        throw new MeshformError(`port ${port} is not a port of the Service`, {
          construct: path,
          field: `portTraffic[${index}].port`,
          fix: `The Service's ports are ${this.ports.map((declared) => declared.port).join(', ')}.`,
        });
      }
      const { tls, ...traffic } = options;
      const hasTraffic = traffic.loadBalancer || traffic.circuitBreaker || traffic.connectionPool;
      return {
        port: { number: port },
        ...(hasTraffic || !tls ? renderTrafficPolicy(traffic, undefined, { construct: path, field: `portTraffic[${index}]` }) : {}),
        ...(tls ? { tls: portTls(tls, portMtls, port, { construct: path, field: `portTraffic[${index}].tls` }) } : {}),
      };
    });
    this.plainTextPorts = [...new Set(portMtls.filter(({ mode }) => mode !== 'STRICT').map(({ targetPort }) => targetPort))].sort((a, b) => a - b);
    // A port that takes only plain text must be called in plain text, not with Istio's mTLS.
    for (const { port } of portMtls.filter(({ mode }) => mode === 'DISABLE')) {
      const settings = portLevelSettings.find((entry) => entry.port.number === port);
      if (settings) Object.assign(settings, { tls: { mode: 'DISABLE' } });
      else portLevelSettings.push({ port: { number: port }, tls: { mode: 'DISABLE' } });
    }

    const metadata = { namespace: this.namespace, labels: { app: this.name } };
    // A plain ApiObject with the manifest as JSON: typed L1 classes would convert it on every render.
    this.service = new MeshApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { ...metadata, name: this.name },
      spec: {
        selector: { app: this.name },
        ports: this.ports.map((port) => ({
          ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}),
          name: port.name,
          port: port.port,
          protocol: port.transport,
          targetPort: port.targetPort,
        })),
      },
    });
    this.destinationRule = new DestinationRule(this, 'DestinationRule', {
      metadata: { name: this.name, namespace: this.namespace },
      // Not annotated with DestinationRuleSpec: the checker compares the literal with each of that
      // union's hundreds of members (about 20 s of a type-check); the synth check validates it.
      spec: Lazy.any({
        produce: () => ({
          host: this.name,
          // Pods without a sidecar cannot terminate Istio's mutual TLS: callers must speak plain text.
          trafficPolicy: {
            ...trafficPolicy,
            ...(portLevelSettings.length > 0 ? { portLevelSettings } : {}),
            tls: { mode: this.sidecars.mode === 'disabled' ? 'DISABLE' : 'ISTIO_MUTUAL' },
          },
          subsets: this._versionNames().map((version) => {
            const policy = this.subsetTraffic.get(version);
            return { name: version, labels: { version }, ...(policy ? { trafficPolicy: policy } : {}) };
          }),
        }),
      }),
    });
    if (props.disruptionBudget) {
      const budget = renderDisruptionBudget(props.disruptionBudget, { app: this.name }, { name: this.name, namespace: this.namespace }, { construct: path });
      new MeshApiObject(this, 'PodDisruptionBudget', budget);
    }
    if (props.kubernetesApiAccess) this.identity.grantKubernetesApi(this, props.kubernetesApiAccess);
    if (props.telemetry) {
      new Telemetry(this, 'Telemetry', {
        metadata: { name: this.name, namespace: this.namespace },
        spec: renderTelemetry(props.telemetry, { construct: path, field: 'telemetry' }, { app: this.name }),
      });
    }
    if (props.mtls) {
      new PeerAuthentication(this, 'PeerAuthentication', {
        metadata: { name: this.name, namespace: this.namespace },
        spec: renderWorkloadPeerAuthentication({ app: this.name }, props.mtls.mode, portMtls),
      });
    }
    new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: Lazy.any({ produce: () => this.renderAuthorization() }),
    });
  }

  /** The Service's cluster-local name, e.g. `reviews.shop.svc.cluster.local`. */
  public get fqdn(): string {
    return serviceFqdn(this.name, this.namespace, DEFAULT_CLUSTER_DOMAIN);
  }

  /** The host to write in a route from `namespace`: the short name at home, the FQDN elsewhere. */
  public hostFrom(namespace: string): string {
    return namespace === this.namespace ? this.name : this.fqdn;
  }

  /**
   * Requires a JWT from `issuer` on requests to this workload (on `paths`, or all): a
   * RequestAuthentication on its pods and a DENY policy for requests without a valid token or
   * without the `claims`. Callers inside the mesh must then forward a token as well.
   */
  public requireJwt(requirement: JwtRequirement): void {
    const location = { construct: this.node.path, field: `requireJwt[${this.jwtCount++}]` };
    checkProps(requirement, 'JwtRequirement', location.construct, location.field);
    if ((requirement as { hosts?: unknown }).hosts !== undefined) {
      throw new MeshformError('a workload has no hosts to choose from', { ...location, field: `${location.field}.hosts`, fix: 'Leave hosts out, or require the token at the gateway.' });
    }
    const checked = checkJwtRequirement(requirement, location);
    this.jwt ??= new JwtEnforcement(this, this.name, this.namespace, { app: this.name });
    this.jwt.add(checked);
  }

  /** Admits another identity (a gateway, a workload outside meshform) to this workload. */
  public allowFrom(principal: Principal, operation?: CallOperation, location?: ErrorLocation): void {
    markMeshChanged();
    operation?.ports?.forEach((port, index) => {
      if (!this.ports.some((declared) => declared.port === port)) {
        throw new MeshformError(`port ${port} is not a port of ${this.name}`, {
          construct: location?.construct,
          field: `${location?.field ?? 'allowFrom'}.ports[${index}]`,
          fix: `${this.name}'s ports are ${this.ports.map((declared) => declared.port).join(', ')}.`,
        });
      }
    });
    const key = `${principal.namespace}/${principal.serviceAccountName}`;
    const known = this.callers.get(key);
    // Admitting everything wins over admitting some operations.
    const operations = !operation || (known && !known.operations) ? undefined : [...(known?.operations ?? []), operation];
    this.callers.set(key, { principal, operations });
    for (const target of this.mirrorTargets) target.allowFrom(principal, operation, location);
  }

  /** The methods the admitted callers may send; undefined when one may send any. @internal */
  public _admittedMethods(): HttpMethod[] | undefined {
    const callers = [...this.callers.values()];
    if (callers.length === 0 || callers.some(({ operations }) => !operations || operations.some((operation) => !operation.methods))) return undefined;
    return [...new Set(callers.flatMap(({ operations }) => operations!.flatMap((operation) => operation.methods!)))].sort();
  }

  /**
   * A caller's proxy sends the mirrored copies itself: it must reach, and be admitted by, every
   * workload this one mirrors to. @internal
   */
  public _addMirrorTarget(target: RouteTarget): void {
    markMeshChanged();
    this.mirrorTargets.add(target);
    for (const { principal, operations } of this.callers.values()) {
      if (operations) operations.forEach((operation) => target.allowFrom(principal, operation));
      else target.allowFrom(principal);
    }
  }

  /** The `namespace/host` entries a caller's Sidecar needs: this Service and its mirrors. @internal */
  public _sidecarHosts(): string[] {
    const hosts = [this, ...this.mirrorTargets].map((target) => `${target.namespace}/${target.fqdn}`);
    // Calls to single pods of a StatefulSet (`<name>-0.<name>-headless…`) go through the headless Service.
    return this.headlessService ? [...hosts, `${this.namespace}/${serviceFqdn(this.headlessService, this.namespace)}`] : hosts;
  }

  /** Where routes to this workload send traffic (weighted subsets for a canary). @internal */
  public abstract _routeDestinations(fromNamespace: string): HttpRouteDestination[];

  /** True when the port takes TLS that is not Istio's (PERMISSIVE or DISABLE mTLS). @internal */
  public _takesPlainTls(port: number): boolean {
    const target = this.ports.find((candidate) => candidate.port === port)?.targetPort;
    return target !== undefined && this.plainTextPorts.includes(target);
  }

  /** The names of this workload's versions, in declaration order. @internal */
  public abstract _versionNames(): string[];

  /**
   * The Deployment (or StatefulSet) of a version, for JSON patches (`addJsonPatch`) of fields
   * meshform has no prop for.
   */
  public workloadOf(version?: string): ApiObject {
    const name = version ?? this._versionNames()[0]!;
    const found = this.deployments.get(name);
    if (!found) {
      throw new MeshformError(`there is no version "${name}"`, { construct: this.node.path, field: 'workloadOf', fix: `Versions are ${this._versionNames().join(', ')}.` });
    }
    return found;
  }

  /** The workload's own VirtualService, if it has one (a canary always does). */
  public get virtualService(): VirtualService | undefined {
    return this.routingTable?.virtualService;
  }

  /**
   * Adds a rule to the workload's own VirtualService, ahead of the default route; rules are
   * tried in the order they are added, and the first that matches takes the request.
   */
  public addRoute(route: ServiceRoute): void {
    const field = `routes[${this.routeCount++}]`;
    this.routing().add(checkProps(route, 'ServiceRoute', this.node.path, field), field);
  }

  /** The routing table, created with the VirtualService on first use. */
  protected routing(): ServiceRouting {
    if (!this.routingTable) {
      this.routingTable = new ServiceRouting(this, this, this.routeDefaults, this.defaultRouteName());
      this.routingTable.ensureVirtualService(() => this.headerPins());
    }
    return this.routingTable;
  }

  /** Adds the routes of the props; called once the versions exist. */
  protected addRoutes(routes: readonly ServiceRoute[] | undefined): void {
    for (const route of routes ?? []) this.addRoute(route);
  }

  /** The name of the default route, when something outside meshform must find it. */
  protected defaultRouteName(): string | undefined {
    return undefined;
  }

  /** Header pins ahead of every rule (a canary's testers). */
  protected headerPins(): { version: string; headers: Readonly<Record<string, string>> }[] {
    return [];
  }

  /** Sets a version's own load balancing and resilience (its subset's trafficPolicy). */
  protected setSubsetTraffic(version: string, options: ClientTrafficOptions, field: string): void {
    if (options.loadBalancer || options.circuitBreaker || options.connectionPool) {
      this.subsetTraffic.set(version, renderTrafficPolicy(options, undefined, { construct: this.node.path, field }));
    }
  }

  /** The port number a route must name, or undefined when the Service has a single port. @internal */
  public _destinationPort(): { number: number } | undefined {
    return this.ports.length > 1 ? { number: this.ports[0]!.port } : undefined;
  }

  /**
   * Adds the Deployment of one version, labelled `app` and `version`; or, with `stateful`, the
   * StatefulSet named after the workload and its headless Service. With `autoscaled`, the replica
   * count is left to the autoscaler.
   */
  protected addVersion(version: WorkloadVersion, placement: { readonly stateful?: StatefulOptions; readonly autoscaled?: boolean } = {}): ApiObject {
    const path = this.node.path;
    const versionName = assertDnsLabel(version.name, { construct: path, field: 'versions[].name' });
    if (this.deployments.has(versionName)) {
      throw new MeshformError(`version "${versionName}" is declared twice`, {
        construct: path,
        field: 'versions',
        fix: 'Give every version its own name.',
      });
    }
    if (placement.autoscaled && version.replicas !== undefined) {
      throw new MeshformError('replicas is given, but an autoscaler sets the replica count', { construct: path, field: 'replicas', fix: 'Leave replicas out, or give minReplicas to the autoscaling.' });
    }
    const labels = { app: this.name, version: versionName };
    const { stateful } = placement;
    const name = stateful ? this.name : `${this.name}-${versionName}`;
    const headless = `${this.name}-headless`;
    const statefulFields = stateful ? renderStatefulFields(stateful, headless, { construct: path }) : undefined;
    const template = renderPodTemplate(
      {
        ...version,
        labels,
        serviceAccountName: this.serviceAccountName,
        containerName: this.name,
        containerPorts: [...new Set(this.ports.map((port) => port.targetPort))],
        udpPorts: this.ports.filter((port) => port.transport === 'UDP').map((port) => port.targetPort),
        claimMounts: statefulFields?.mounts,
        proxy: this.proxy,
        sidecars: this.sidecars,
        usesKubernetesApi: this.usesKubernetesApi,
      },
      path,
    );
    const replicas = placement.autoscaled ? {} : { replicas: version.replicas ?? 1 };
    const deployment = createWorkload(this, stateful ? 'StatefulSet' : `Deployment-${versionName}`, {
      apiVersion: 'apps/v1',
      kind: stateful ? 'StatefulSet' : 'Deployment',
      metadata: { name, namespace: this.namespace, labels },
      spec: stateful
        ? { ...replicas, selector: { matchLabels: labels }, ...statefulFields!.spec, template: k8s.toJson_PodTemplateSpec(template) }
        : k8s.toJson_DeploymentSpec({ ...replicas, selector: { matchLabels: labels }, template }),
      templatePointer: '/spec/template',
      template,
      sidecars: this.sidecars,
    });
    if (stateful) {
      this.headlessService = headless;
      // Every port, so that pod-to-pod calls (cluster protocol, replication) are matched and stay mutual TLS.
      const service = this.service.toJson() as { spec: Record<string, unknown> };
      new MeshApiObject(this, 'HeadlessService', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: headless, namespace: this.namespace, labels: { app: this.name } },
        spec: { ...service.spec, clusterIP: 'None', publishNotReadyAddresses: stateful.publishNotReadyAddresses ?? true },
      });
    }
    this.deployments.set(versionName, deployment);
    return deployment;
  }

  private renderAuthorization(): object {
    const spiffe = ({ namespace, serviceAccountName }: Principal) => `cluster.local/ns/${namespace}/sa/${serviceAccountName}`;
    const callers = [...this.callers.values()].sort((a, b) => (spiffe(a.principal) < spiffe(b.principal) ? -1 : 1));
    const unrestricted = callers.filter(({ operations }) => !operations).map(({ principal }) => spiffe(principal));
    // One rule for the callers admitted to everything, then one per caller with its operations.
    const rules = [
      ...(unrestricted.length > 0 ? [{ from: [{ source: { principals: unrestricted } }] }] : []),
      // A port that takes plain text is there for callers outside the mesh, which no principal names.
      ...(this.plainTextPorts.length > 0 ? [{ to: [{ operation: { ports: this.plainTextPorts.map(String) } }] }] : []),
      ...callers
        .filter(({ operations }) => operations)
        .map(({ principal, operations }) => ({ from: [{ source: { principals: [spiffe(principal)] } }], to: operations!.map((operation) => ({ operation: this.policyOperation(operation) })) })),
    ];
    // With no declared caller the policy has no rule, which Istio reads as "deny all".
    return { selector: { matchLabels: { app: this.name } }, action: 'ALLOW', ...(rules.length > 0 ? { rules } : {}) };
  }

  /** An AuthorizationPolicy operation: ports are the pods' (target) ports, as the sidecar sees them. */
  private policyOperation({ ports, paths, methods }: CallOperation): object {
    const targetPorts = ports?.map((port) => String(this.ports.find((declared) => declared.port === port)!.targetPort));
    return { ...(targetPorts ? { ports: [...new Set(targetPorts)] } : {}), ...(methods ? { methods: [...methods] } : {}), ...(paths ? { paths: [...paths] } : {}) };
  }
}

/** A port's TLS origination, checked against the port's mTLS: the sidecar must take non-Istio TLS there. */
function portTls(tls: PortTls, portMtls: readonly PortMtls[], port: number, location: ErrorLocation): Record<string, string> {
  if (tls.mode !== 'SIMPLE') {
    throw new MeshformError(`"${String(tls.mode)}" is not a TLS origination mode here`, { ...location, field: `${location.field}.mode`, fix: "Use 'SIMPLE'." });
  }
  if (portMtls.find((entry) => entry.port === port)?.mode !== 'PERMISSIVE') {
    throw new MeshformError(`callers would send their own TLS to port ${port}, which takes only Istio's mutual TLS`, {
      ...location,
      fix: `Add mtls: { portLevelMtls: { ${port}: 'PERMISSIVE' } }, so that the sidecar passes the TLS on to the application.`,
    });
  }
  if (tls.credentialName) {
    throw new MeshformError('a workload\'s callers cannot read a credential', { ...location, field: `${location.field}.credentialName`, fix: 'Give caCertificates, a CA bundle path in the callers\' proxies.' });
  }
  return { mode: 'SIMPLE', ...(tls.sni ? { sni: tls.sni } : {}), ...(tls.caCertificates ? { caCertificates: tls.caCertificates } : {}) };
}

function resolvePorts(props: MeshWorkloadProps, construct: string): readonly ServicePort[] {
  if (props.port !== undefined && props.ports !== undefined) {
    throw new MeshformError('both port and ports are given', { construct, field: 'port', fix: 'Give one of them.' });
  }
  const ports =
    props.ports ?? (props.port === undefined ? [] : [typeof props.port === 'number' ? ServicePort.http(assertPort(props.port, { construct, field: 'port' })) : props.port]);
  if (ports.length === 0) {
    throw new MeshformError('the workload exposes no port', {
      construct,
      field: 'port',
      fix: 'Set port (for example port: 9080) or ports: [ServicePort.grpc(9090), …].',
    });
  }
  const seen = new Set<string>();
  for (const port of ports) {
    for (const key of [`name ${port.name}`, `port ${port.port}`]) {
      if (seen.has(key)) {
        throw new MeshformError(`two ports share the ${key}`, {
          construct,
          field: 'ports',
          fix: 'Give each port its own number and name suffix.',
        });
      }
      seen.add(key);
    }
  }
  return ports;
}
