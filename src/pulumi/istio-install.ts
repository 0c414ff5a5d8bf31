import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ExtensionProvider, InstalledIngressGateway, Principal } from '../constructs/index.js';
import { ISTIO_SYSTEM_NAMESPACE } from '../core/index.js';

/** Where Istio publishes its Helm charts. */
export const ISTIO_HELM_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';

/** The Istio release the typed API of meshform follows. */
export const DEFAULT_ISTIO_VERSION = '1.29.0';

/** Helm values of an Istio chart, which may hold Pulumi Outputs. */
export type HelmValues = pulumi.Input<Record<string, unknown>>;

/** The ingress gateway release (Istio's `gateway` chart). */
export interface IstioGatewayArgs {
  /**
   * Release name; the chart also names the ServiceAccount after it and labels the pods
   * `istio: <name without "istio-">`, which is what a Gateway's selector matches.
   * @default 'istio-ingressgateway'
   */
  readonly name?: string;
  /** @default 'istio-ingress' */
  readonly namespace?: string;
  /** @default - the chart's defaults */
  readonly values?: HelmValues;
}

export interface IstioInstallArgs {
  /**
   * Chart version, i.e. the Istio release.
   * @default DEFAULT_ISTIO_VERSION
   */
  readonly version?: string;
  /** @default 'istio-system' */
  readonly namespace?: string;
  /**
   * Control plane revision, for canary upgrades of Istio itself.
   * @default - the default revision
   */
  readonly revision?: string;
  /** @default ISTIO_HELM_REPOSITORY */
  readonly repository?: string;
  /** @default - the chart's defaults */
  readonly baseValues?: HelmValues;
  /** @default - the chart's defaults */
  readonly istiodValues?: HelmValues;
  /**
   * Tracing, access-log and metrics backends that Telemetry resources name
   * (`meshConfig.extensionProviders`, after any in `istiodValues`).
   * @default - Istio's built-in providers only (`envoy`, `prometheus`)
   */
  readonly extensionProviders?: readonly ExtensionProvider[];
  /**
   * The ingress gateway; `false` installs none.
   * @default - a gateway named istio-ingressgateway in istio-ingress
   */
  readonly gateway?: IstioGatewayArgs | false;
  /**
   * How long each release may take to become ready, in seconds.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

/**
 * Installs Istio with its Helm charts in the order Istio requires: `base` (the CRDs), then
 * `istiod` once the CRDs exist, then the ingress `gateway` once istiod (and its injection
 * webhook) is ready. Each release waits for its resources, so anything that depends on this
 * component is created only when Istio can take it.
 */
export class IstioInstall extends pulumi.ComponentResource {
  public readonly base: k8s.helm.v3.Release;
  public readonly istiod: k8s.helm.v3.Release;
  public readonly gateway?: k8s.helm.v3.Release;
  /** Identity of the ingress gateway pods (the ServiceAccount the chart names after the release). */
  public readonly gatewayIdentity?: Principal;
  /**
   * The ingress gateway as `MeshGateway`s see it: its identity and the labels the chart gives its
   * pods. A MeshStack given this install declares it for every MeshGateway of its build.
   */
  public readonly ingressGateway?: InstalledIngressGateway;
  /** What Istio custom resources must wait for: the CRDs and istiod's validation webhook. */
  public readonly crdsReady: pulumi.Resource[];

  public constructor(name: string, args: IstioInstallArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('meshform:pulumi:IstioInstall', name, {}, opts);
    const namespace = args.namespace ?? ISTIO_SYSTEM_NAMESPACE;
    const common = {
      version: args.version ?? DEFAULT_ISTIO_VERSION,
      repositoryOpts: { repo: args.repository ?? ISTIO_HELM_REPOSITORY },
      timeout: args.timeoutSeconds ?? 600,
      skipAwait: false,
      atomic: true,
      cleanupOnFail: true,
    };
    const revision = args.revision ? { revision: args.revision } : {};

    this.base = new k8s.helm.v3.Release(
      `${name}-base`,
      {
        ...common,
        chart: 'base',
        name: 'istio-base',
        namespace,
        createNamespace: true,
        values: pulumi.output(args.baseValues ?? {}).apply((values) => ({ ...revision, ...values })),
      },
      { parent: this },
    );
    this.istiod = new k8s.helm.v3.Release(
      `${name}-istiod`,
      {
        ...common,
        chart: 'istiod',
        name: args.revision ? `istiod-${args.revision}` : 'istiod',
        namespace,
        values: pulumi.output(args.istiodValues ?? {}).apply((values) => withExtensionProviders({ ...revision, ...values }, args.extensionProviders ?? [])),
      },
      { parent: this, dependsOn: [this.base] },
    );
    if (args.gateway !== false) {
      const gateway = args.gateway ?? {};
      const gatewayName = gateway.name ?? 'istio-ingressgateway';
      const gatewayNamespace = gateway.namespace ?? 'istio-ingress';
      this.gateway = new k8s.helm.v3.Release(
        `${name}-gateway`,
        {
          ...common,
          chart: 'gateway',
          name: gatewayName,
          namespace: gatewayNamespace,
          createNamespace: true,
          values: pulumi.output(gateway.values ?? {}).apply((values) => ({ ...revision, ...values })),
        },
        { parent: this, dependsOn: [this.istiod] },
      );
      this.gatewayIdentity = { serviceAccountName: gatewayName, namespace: gatewayNamespace };
      // The gateway chart's selector labels: app is the release name, istio the same without "istio-".
      this.ingressGateway = { identity: this.gatewayIdentity, podLabels: { app: gatewayName, istio: gatewayName.replace(/^istio-/, '') } };
    }
    this.crdsReady = [this.base, this.istiod];
    this.registerOutputs({ base: this.base.status, istiod: this.istiod.status });
  }
}

/** istiod's values with the providers added to `meshConfig.extensionProviders`. */
function withExtensionProviders(values: Record<string, unknown>, providers: readonly ExtensionProvider[]): Record<string, unknown> {
  if (providers.length === 0) return values;
  const meshConfig = (values.meshConfig ?? {}) as Record<string, unknown>;
  const existing = (meshConfig.extensionProviders ?? []) as unknown[];
  return { ...values, meshConfig: { ...meshConfig, extensionProviders: [...existing, ...providers.map((provider) => provider.toMeshConfig())] } };
}
