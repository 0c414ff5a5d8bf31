import { Lazy } from 'cdk8s';
import { markMeshChanged } from './validation/synth-turn.js';
import { Construct } from 'constructs';
import { Gateway, VirtualService, type GatewaySpec, type VirtualServiceSpec } from '../../imports/networking.istio.io.js';
import { AuthorizationPolicy } from '../../imports/security.istio.io.js';
import { assertDnsLabel, assertPort, assertSelector, holdsDeferredValue, isDnsSubdomain, ISTIO_SYSTEM_NAMESPACE, MeshformError, PROXY_RESERVED_PORTS, sortedLabels, splitGatewayHost, toDnsLabel, wildcardCovers, type Labels, assertOptionalOneOf } from '../core/index.js';
import { assertMirrorElsewhere, renderRule, type HttpRoute, type RouteRule } from './routing/http-route-options.js';
import { enableMeshValidation } from './validation/mesh-validation.js';
import type { MeshWorkload } from './mesh-workload.js';
import type { Principal } from './workload-identity.js';
import { deployGateway, type GatewayDeploymentOptions } from './gateway-deployment.js';
import { placeIn, type PlacementProps } from './options/placement.js';
import { sidecarsFor } from './pod-template.js';
import { PathMatch } from './routing/route-match.js';
import { DestinationRule } from '../../imports/networking.istio.io.js';
import type { LoadBalancer } from './options/load-balancer.js';
import { renderTrafficPolicy, type PortTls } from './options/traffic-policy.js';
import { checkJwtRequirement, JwtEnforcement, type GatewayJwtRequirement } from './security/jwt-requirement.js';
import { issueCertificate, type CertificateOptions } from './security/certificate.js';
import { declareInstalledGateway, installedGatewayOf, type InstalledIngressGateway } from './options/installed-gateway.js';
import { checkProps, checkedId } from './validation/check-props.js';

export type { InstalledIngressGateway } from './options/installed-gateway.js';

/** Plain-HTTP listener of a gateway. */
export interface GatewayHttpListener {
  /** Hosts served, e.g. `['shop.example.com']` or `['*']`. */
  readonly hosts: readonly string[];
  /** @default 80 */
  readonly port?: number;
  /**
   * Answer every plain-HTTP request with a redirect to HTTPS.
   * @default false
   */
  readonly httpsRedirect?: boolean;
}

/** TLS-terminating listener of a gateway. */
export interface GatewayHttpsListener {
  /** Hosts served. */
  readonly hosts: readonly string[];
  /**
   * Name of the Kubernetes Secret holding the certificate, in the namespace of the gateway pods
   * (`MeshGateway.credentialNamespace`), not necessarily the Gateway object's.
   */
  readonly credentialName: string;
  /** @default 443 */
  readonly port?: number;
  /**
   * `SIMPLE` TLS, or `MUTUAL` to require client certificates (the Secret then also holds `ca.crt`).
   * @default 'SIMPLE'
   */
  readonly mode?: 'SIMPLE' | 'MUTUAL';
  /**
   * Oldest TLS version accepted.
   * @default 'TLSV1_2'
   */
  readonly minProtocolVersion?: 'TLSV1_2' | 'TLSV1_3';
  /**
   * Have cert-manager issue the certificate: a `Certificate` for the listener's hosts whose Secret
   * is `credentialName`, in the gateway pods' namespace.
   * @default - the Secret is provided some other way
   */
  readonly certificate?: CertificateOptions;
}

export interface MeshGatewayProps extends PlacementProps {
  /**
   * Name of the Gateway object.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Labels of the gateway pods that serve this Gateway.
   * @default - `{ istio: <name> }` with `deployment`, else the installed gateway's pod labels, else
   * `{ istio: 'ingressgateway' }`
   */
  readonly selector?: Labels;
  /** @default - no plain-HTTP listener */
  readonly http?: GatewayHttpListener;
  /** @default - no HTTPS listener */
  readonly https?: GatewayHttpsListener;
  /**
   * Identity of the gateway pods, admitted by the AuthorizationPolicy of every routed workload.
   * @default - the deployed gateway's ServiceAccount with `deployment`, else the installed gateway's
   * (`MeshGateway.useInstalledGateway`, which a MeshStack given `istio` declares), else istioctl's
   * default ingress gateway: istio-ingressgateway-service-account in istio-system
   */
  readonly gatewayIdentity?: Principal;
  /**
   * Run this gateway's own proxies (a Deployment from Istio's gateway template and a Service for
   * the listener ports) instead of using a shared ingress gateway; the selector then defaults to
   * `{ istio: <name> }`.
   * @default - served by an ingress gateway installed elsewhere
   */
  readonly deployment?: GatewayDeploymentOptions;
}

/** A route from the gateway to a workload (or a redirect). */
export interface GatewayRouteOptions extends RouteRule {
  /** The request host; the gateway must serve it. */
  readonly host: string;
  /**
   * Request paths to match; a string is a prefix. A shorthand for `match: { path }`.
   * @default - every path
   */
  readonly path?: string | PathMatch | readonly (string | PathMatch)[];
  /**
   * The workload that answers.
   * @default - none; the rule must redirect
   */
  readonly to?: MeshWorkload;
  /**
   * Send the requests to this version of `to` only.
   * @default - every version, by its weight
   */
  readonly version?: string;
  /**
   * TLS the gateway originates to `to`, for a workload that terminates TLS itself (re-encryption).
   * The workload's port must take non-Istio TLS (`mtls.portLevelMtls` PERMISSIVE).
   * @default - Istio's mutual TLS
   */
  readonly backendTls?: PortTls;
  /**
   * How the gateway picks `to`'s endpoints, e.g. `LoadBalancer.stickyCookie(…)` for sessions
   * held by one backend.
   * @default - the workload's own DestinationRule
   */
  readonly loadBalancer?: LoadBalancer;
}

/**
 * An Istio ingress Gateway (HTTP with optional HTTPS redirect, HTTPS with a certificate) and the
 * VirtualServices bound to it. `route()` refuses hosts the gateway does not serve.
 */
export class MeshGateway extends Construct {
  /**
   * Declares the ingress gateway installed for every `MeshGateway` under `scope` (a MeshStack
   * given `istio` does this): they select its pods, admit its identity on their routes and put
   * their JWT policies beside it, and a `selector` or `gatewayIdentity` that contradicts it is an
   * error. Declare it before the gateways are created.
   */
  public static useInstalledGateway(scope: Construct, gateway: InstalledIngressGateway): void {
    declareInstalledGateway(scope, gateway);
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly gateway: Gateway;
  private readonly hosts: string[];
  private readonly identity: Principal;
  private readonly pods: { readonly namespace: string; readonly labels: Labels; readonly dedicated: boolean };
  private jwt?: JwtEnforcement;
  private jwtCount = 0;
  private readonly routes = new Map<string, { options: GatewayRouteOptions; route: HttpRoute }[]>();
  private routeCount = 0;

  public constructor(scope: Construct, id: string, props: MeshGatewayProps) {
    super(scope, checkedId(scope, id, props, 'MeshGatewayProps'));
    enableMeshValidation(this);
    const path = this.node.path;
    this.name = assertDnsLabel(props.name ?? id, { construct: path, field: 'name' });
    this.namespace = placeIn(this, props);
    if (!props.http && !props.https) {
      throw new MeshformError('the gateway has no listener', {
        construct: path,
        field: 'http',
        fix: "Give http: { hosts: ['…'] } and/or https: { hosts: ['…'], credentialName: '…' }.",
      });
    }
    for (const [listener, field] of [[props.http, 'http'], [props.https, 'https']] as const) {
      if (listener) checkListener(listener, path, field);
    }
    if (props.https && !props.https.credentialName?.trim()) {
      throw new MeshformError('the HTTPS listener names no credential', {
        construct: path,
        field: 'https.credentialName',
        fix: "Name the Kubernetes Secret (in the gateway pods' namespace) that holds tls.crt and tls.key.",
      });
    }
    const credential = props.https?.credentialName;
    if (credential !== undefined && !isDnsSubdomain(credential) && !holdsDeferredValue(credential)) {
      throw new MeshformError(`"${credential.slice(0, 80)}" is not a Secret name`, {
        construct: path,
        field: 'https.credentialName',
        fix: "The credential is a Kubernetes Secret: lower-case letters, digits, '-' and '.', e.g. 'shop-example-com-tls'.",
      });
    }
    if (props.http && props.https && (props.http.port ?? 80) === (props.https.port ?? 443)) {
      throw new MeshformError(`the HTTP and HTTPS listeners both use port ${props.http.port ?? 80}`, {
        construct: path,
        field: 'https.port',
        fix: 'Give each listener its own port.',
      });
    }
    this.hosts = [...(props.http?.hosts ?? []), ...(props.https?.hosts ?? [])];

    const servers: GatewaySpec['servers'] = [];
    if (props.http) {
      servers.push({
        port: { number: props.http.port ?? 80, name: 'http', protocol: 'HTTP' },
        hosts: [...props.http.hosts],
        ...(props.http.httpsRedirect ? { tls: { httpsRedirect: true } } : {}),
      });
    }
    if (props.https) {
      servers.push({
        port: { number: props.https.port ?? 443, name: 'https', protocol: 'HTTPS' },
        hosts: [...props.https.hosts],
        tls: {
          mode: assertOptionalOneOf(props.https.mode, ['SIMPLE', 'MUTUAL'], { construct: path, field: 'https.mode' }) ?? 'SIMPLE',
          credentialName: props.https.credentialName,
          minProtocolVersion: assertOptionalOneOf(props.https.minProtocolVersion, ['TLSV1_2', 'TLSV1_3'], { construct: path, field: 'https.minProtocolVersion' }) ?? 'TLSV1_2',
        },
      });
    }
    if (props.selector !== undefined) assertSelector(props.selector, { construct: path, field: 'selector' });
    const installed = props.deployment ? undefined : installedGatewayOf(this);
    if (installed) checkAgainstInstalled(props, installed, path);
    const selector = { ...(props.selector ?? (props.deployment ? { istio: this.name } : (installed?.podLabels ?? { istio: 'ingressgateway' }))) };
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: { selector, servers },
    });
    const deployed = props.deployment
      ? deployGateway(this, {
          name: this.name,
          namespace: this.namespace,
          labels: selector,
          ports: servers.map((server) => ({ name: server.port!.name!, number: server.port!.number! })),
          options: props.deployment,
          sidecars: sidecarsFor(props.mesh, undefined),
        })
      : undefined;
    if (deployed) {
      // The edge is open to the world on its listener ports, whatever the namespace's default.
      new AuthorizationPolicy(this, 'AuthorizationPolicy', {
        metadata: { name: this.name, namespace: this.namespace },
        spec: {
          selector: { matchLabels: sortedLabels(selector) },
          action: 'ALLOW',
          rules: [{ to: [{ operation: { ports: servers.map((server) => String(server.port!.number)) } }] }],
        },
      });
    }
    this.identity = props.gatewayIdentity ?? deployed ?? installed?.identity ?? { serviceAccountName: 'istio-ingressgateway-service-account', namespace: ISTIO_SYSTEM_NAMESPACE };
    this.pods = { namespace: deployed ? this.namespace : this.identity.namespace, labels: selector, dedicated: deployed !== undefined };
    if (props.https?.certificate) {
      issueCertificate(
        this,
        'Certificate',
        {
          name: props.https.credentialName,
          namespace: this.pods.namespace,
          secretName: props.https.credentialName,
          dnsNames: props.https.hosts.map((host) => splitGatewayHost(host).host),
          options: props.https.certificate,
        },
        { construct: path, field: 'https.certificate' },
      );
    }
  }

  /**
   * The namespace of the gateway pods, where the Secret that an HTTPS `credentialName` names
   * must be (Istio's gateways read credentials from their own namespace).
   */
  public get credentialNamespace(): string {
    return this.pods.namespace;
  }

  /**
   * Requires a JWT from `issuer` on this gateway's requests, for `hosts` and `paths` or all of
   * them: a RequestAuthentication on the gateway pods, and a DENY policy for requests without a
   * valid token or without the `claims`. Each call adds a requirement; all must hold where they
   * apply. On a shared ingress gateway only this gateway's hosts are affected.
   */
  public requireJwt(requirement: GatewayJwtRequirement): void {
    const location = { construct: this.node.path, field: `requireJwt[${this.jwtCount++}]` };
    checkProps(requirement, 'GatewayJwtRequirement', location.construct, location.field);
    const checked = checkJwtRequirement(requirement, location);
    checked.hosts?.forEach((host, index) => {
      if (!this.hosts.some((served) => wildcardCovers(splitGatewayHost(served).host, host))) {
        throw new MeshformError(`host "${host}" is not served by gateway ${this.name}`, {
          construct: location.construct,
          field: `${location.field}.hosts[${index}]`,
          fix: `Use hosts the gateway serves: ${this.hosts.join(', ')}.`,
        });
      }
    });
    const ownHosts = this.hosts.map((served) => splitGatewayHost(served).host);
    // Pods shared with other gateways must not make their hosts need a token too.
    const hosts = checked.hosts ?? (this.pods.dedicated || ownHosts.includes('*') ? undefined : [...new Set(ownHosts)]);
    this.jwt ??= new JwtEnforcement(this, this.name, this.pods.namespace, this.pods.labels, !this.pods.dedicated);
    this.jwt.add({ ...checked, hosts });
  }

  /**
   * Sends requests for `host` (and `path`) to a workload, through a VirtualService bound to this
   * gateway. Routes for the same host share one VirtualService, in the order they are added.
   */
  public route(options: GatewayRouteOptions): void {
    markMeshChanged();
    const path = this.node.path;
    checkProps(options, 'GatewayRouteOptions', path, 'route');
    if (typeof options.host !== 'string' || options.host.trim() === '') {
      throw new MeshformError('the route has no host', { construct: path, field: 'route.host', fix: `Give one of the hosts the gateway serves: ${this.hosts.join(', ')}.` });
    }
    if (!this.hosts.some((served) => wildcardCovers(splitGatewayHost(served).host, options.host))) {
      throw new MeshformError(`host "${options.host}" is not served by gateway ${this.name} (it serves ${this.hosts.map((h) => `"${h}"`).join(', ')})`, {
        construct: path,
        field: 'route.host',
        fix: 'Add the host to the gateway listener hosts, or correct the route host.',
      });
    }
    const field = `route[${this.routeCount++}]`;
    if (options.path !== undefined && options.match !== undefined) {
      throw new MeshformError('both path and match are given', { construct: path, field: `${field}.path`, fix: 'Put the path into match: { path, … }.' });
    }
    if (options.version !== undefined && !options.to?._versionNames().includes(options.version)) {
      throw new MeshformError(`there is no version "${options.version}"`, {
        construct: path,
        field: `${field}.version`,
        fix: options.to ? `Versions of ${options.to.name} are ${options.to._versionNames().join(', ')}.` : 'Give to: the workload the version belongs to.',
      });
    }
    const match = options.match ?? pathMatches(options.path).map((entry) => ({ path: entry }));
    const route = renderRule({ ...options, match: Array.isArray(match) && match.length === 0 ? undefined : match }, { construct: path, field, namespace: this.namespace }, options.to !== undefined);
    const sameHost = this.routes.get(options.host) ?? [];
    if (!route.match && sameHost.some((existing) => !existing.route.match)) {
      throw new MeshformError(`host "${options.host}" already has a route for every request`, {
        construct: path,
        field: `${field}.path`,
        fix: 'Give this route a path or match; only one route per host may take every request, and it is tried last.',
      });
    }
    if (options.to) {
      assertMirrorElsewhere({ ...route, route: this.destinations(options) }, { construct: path, field: `${field}.mirror` });
      options.to.allowFrom(this.identity);
      if (options.backendTls || options.loadBalancer) this.addBackendPolicy(options, field);
    } else if (options.backendTls || options.loadBalancer) {
      throw new MeshformError('backendTls and loadBalancer need a destination', { construct: path, field: `${field}.to`, fix: 'Give to: the workload, or leave them out of a redirect.' });
    }
    // The gateway's proxy sends the mirrored copies, so the mirror target must admit it.
    options.mirror?.to.allowFrom(this.identity);
    let entry = this.routes.get(options.host);
    if (!entry) {
      entry = [];
      this.routes.set(options.host, entry);
      const host = options.host;
      const name = host === '*' ? this.name : `${this.name}-${toDnsLabel(host.replace(/^\*\./, 'wildcard.'))}`;
      new VirtualService(this, `Route-${name}`, {
        metadata: { name, namespace: this.namespace },
        spec: Lazy.any({ produce: () => this.renderVirtualService(host) }),
      });
    }
    entry.push({ options, route });
  }

  /**
   * The gateway's own DestinationRule for a backend, in the gateway pods' namespace and visible
   * there only: in-mesh callers keep the workload's rule (mutual TLS on top of the workload's own
   * TLS), while the gateway, which holds plain HTTP after terminating the client's TLS, re-encrypts.
   */
  private addBackendPolicy(options: GatewayRouteOptions, field: string): void {
    const target = options.to!;
    const location = { construct: this.node.path, field };
    if (this.pods.namespace === target.namespace) {
      throw new MeshformError(`the gateway pods share namespace ${target.namespace} with ${target.name}, whose own DestinationRule would clash with the gateway's`, {
        ...location,
        field: `${field}.backendTls`,
        fix: 'Serve the route from gateway pods in another namespace (a shared ingress gateway, or gatewayIdentity elsewhere).',
      });
    }
    const port = options.backendTls ? target.ports.find((candidate) => candidate.port === (target._destinationPort() ?? { number: target.ports[0]!.port }).number) : undefined;
    if (port && !target._takesPlainTls(port.port)) {
      throw new MeshformError(`the gateway would send its own TLS to port ${port.port} of ${target.name}, which takes only Istio's mutual TLS`, {
        ...location,
        field: `${field}.backendTls`,
        fix: `Give ${target.name} mtls: { portLevelMtls: { ${port.port}: 'PERMISSIVE' } }.`,
      });
    }
    const name = `${this.name}-${target.name}`;
    if (this.node.tryFindChild(`Backend-${name}`)) {
      throw new MeshformError(`the gateway already has a backend policy for ${target.name}`, { ...location, field: `${field}.backendTls`, fix: 'Give backendTls and loadBalancer on one route to it.' });
    }
    const tls = options.backendTls;
    new DestinationRule(this, `Backend-${name}`, {
      metadata: { name, namespace: this.pods.namespace },
      spec: {
        host: target.fqdn,
        exportTo: ['.'],
        // A credential is read by the proxies the rule selects: the gateway's own.
        ...(tls?.credentialName ? { workloadSelector: { matchLabels: sortedLabels(this.pods.labels) } } : {}),
        trafficPolicy: {
          ...(options.loadBalancer ? renderTrafficPolicy({ loadBalancer: options.loadBalancer }, undefined, location) : {}),
          tls: tls
            ? {
                mode: tls.mode,
                ...(tls.sni ? { sni: tls.sni } : {}),
                ...(tls.caCertificates ? { caCertificates: tls.caCertificates } : {}),
                ...(tls.credentialName ? { credentialName: tls.credentialName } : {}),
              }
            : { mode: 'ISTIO_MUTUAL' },
        },
      },
    });
  }

  private renderVirtualService(host: string): VirtualServiceSpec {
    const rules = this.routes.get(host)!;
    // First match wins, so the one rule that takes every request goes last.
    const ordered = [...rules.filter(({ route }) => route.match), ...rules.filter(({ route }) => !route.match)];
    return {
      hosts: [host],
      gateways: [this.name],
      http: ordered.map(({ options, route }): HttpRoute => (options.to ? { ...route, route: this.destinations(options) } : route)),
    };
  }

  /** Where a rule forwards to; a gateway names the port, which its listener cannot infer. */
  private destinations({ to, version }: GatewayRouteOptions) {
    const target = to!;
    const port = target._destinationPort() ?? { number: target.ports[0]!.port };
    if (version) return [{ destination: { host: target.hostFrom(this.namespace), subset: version, port } }];
    return target._routeDestinations(this.namespace).map((destination) => ({
      ...destination,
      destination: { ...destination.destination, port: destination.destination.port ?? port },
    }));
  }
}

/** A selector or identity given beside an installed gateway must be that gateway's. */
function checkAgainstInstalled(props: MeshGatewayProps, installed: InstalledIngressGateway, construct: string): void {
  const { identity, podLabels } = installed;
  const given = props.gatewayIdentity;
  if (given && (given.serviceAccountName !== identity.serviceAccountName || given.namespace !== identity.namespace)) {
    throw new MeshformError(
      `gatewayIdentity ${given.namespace}/${given.serviceAccountName} is not the installed ingress gateway's identity ${identity.namespace}/${identity.serviceAccountName}`,
      { construct, field: 'gatewayIdentity', fix: 'Leave gatewayIdentity out (the installed gateway is used), or give the gateway its own deployment.' },
    );
  }
  const mismatched = Object.entries(props.selector ?? {}).filter(([key, value]) => podLabels[key] !== value);
  if (mismatched.length > 0) {
    throw new MeshformError(`selector ${mismatched.map(([key, value]) => `${key}=${value}`).join(', ')} does not select the installed ingress gateway's pods (${Object.entries(podLabels).map(([key, value]) => `${key}=${value}`).join(', ')})`, {
      construct,
      field: 'selector',
      fix: 'Leave selector out (the installed gateway is selected), or give the gateway its own deployment.',
    });
  }
}

// A gateway server's host (after an optional `namespace/`): a DNS name, optionally under `*.`.
const LISTENER_HOST = /^(\*\.)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$/;

/** A listener must serve at least one non-empty host on a real port. */
function checkListener(listener: GatewayHttpListener | GatewayHttpsListener, construct: string, field: 'http' | 'https'): void {
  if (listener.port !== undefined) assertPort(listener.port, { construct, field: `${field}.port` });
  if (listener.port !== undefined && PROXY_RESERVED_PORTS.includes(listener.port)) {
    throw new MeshformError(`port ${listener.port} is the gateway proxy's own`, {
      construct,
      field: `${field}.port`,
      fix: `Ports ${PROXY_RESERVED_PORTS.join(', ')} are taken by the proxy (admin, health, metrics, capture); listen on another, e.g. 80, 443 or 8443.`,
    });
  }
  if (!Array.isArray(listener.hosts) || listener.hosts.length === 0) {
    throw new MeshformError('the listener serves no host', { construct, field: `${field}.hosts`, fix: "List the hosts it serves, or '*' for any." });
  }
  listener.hosts.forEach((host, index) => {
    if (typeof host !== 'string' || host.trim() === '') {
      throw new MeshformError('a listener host is empty', { construct, field: `${field}.hosts[${index}]`, fix: "Use a host name or '*'." });
    }
    const name = host.slice(host.indexOf('/') + 1);
    if (!(name === '*' || (name.length <= 253 && LISTENER_HOST.test(name))) && !holdsDeferredValue(host)) {
      throw new MeshformError(`"${host.slice(0, 80)}" is not a host name`, { construct, field: `${field}.hosts[${index}]`, fix: "Use a DNS name such as 'shop.example.com', a wildcard such as '*.example.com', or '*'." });
    }
  });
}

function pathMatches(path: GatewayRouteOptions['path']): PathMatch[] {
  if (path === undefined) return [];
  const list = Array.isArray(path) ? path : [path];
  return list.map((entry: string | PathMatch) => (typeof entry === 'string' ? PathMatch.prefix(entry) : entry));
}
