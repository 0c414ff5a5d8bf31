import { App, Chart } from 'cdk8s';
import * as pulumi from '@pulumi/pulumi';
import { MeshGateway } from '../constructs/index.js';
import { MeshformError, originOf, parseDocuments } from '../core/index.js';
import { InputTokens } from './input-tokens.js';
import type { IstioInstall } from './istio-install.js';
import { createsPods, isIstioKind, newKubernetesResource, type ResourceManifest } from './kubernetes-resource.js';

/** What the build callback gets besides the chart. */
export interface MeshStackContext {
  /**
   * Turns a Pulumi Input (an image built in the same program, a hostname from a load balancer)
   * into a string any construct prop that takes free text accepts: images, env values, hosts,
   * credential names, annotations. Names of objects must be plain strings. A Pulumi secret is
   * refused (the registration fails) anywhere but in a Kubernetes Secret, where it stays secret.
   */
  value(input: pulumi.Input<string>): string;
}

export interface MeshStackArgs {
  /** Builds the stack's objects with meshform (or any cdk8s) constructs on `chart`. */
  readonly build: (chart: Chart, context: MeshStackContext) => void;
  /**
   * Namespace of the chart, for objects that set none.
   * @default - none
   */
  readonly namespace?: string;
  /**
   * The Istio installation: Istio custom resources wait for its CRDs and webhook, and
   * workloads for its injector, so nothing reaches the cluster before Istio can take it. Its
   * ingress gateway serves every `MeshGateway` of the build that has no deployment of its own.
   * @default - Istio is installed elsewhere
   */
  readonly istio?: IstioInstall;
}

/**
 * Hosts meshform constructs in a Pulumi program. The build callback runs on a cdk8s chart, which
 * is synthesized in memory (with all of meshform's validation), and every object becomes its own
 * @pulumi/kubernetes resource, a child of this component: Namespaces and CRDs first, each object
 * after its Namespace, Istio kinds after Istio's CRDs.
 */
export class MeshStack extends pulumi.ComponentResource {
  /** The synthesized objects, in registration order, with Outputs still as placeholders. */
  public readonly manifests: readonly ResourceManifest[];
  /** Each registered resource by `"Kind namespace/name"` (or `"Kind name"`). */
  public readonly resources: ReadonlyMap<string, pulumi.CustomResource>;
  private readonly stackName: string;

  public constructor(name: string, args: MeshStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('meshform:pulumi:MeshStack', name, {}, opts);
    this.stackName = name;
    const tokens = new InputTokens();
    this.manifests = orderForApply(synthesize(name, args, tokens));

    const resources = new Map<string, pulumi.CustomResource>();
    for (const manifest of this.manifests) {
      const key = originOf(manifest);
      // A name made from an Output's placeholder would be applied as that placeholder.
      if (InputTokens.derivedFrom(`${manifest.metadata.namespace ?? ''} ${manifest.metadata.name}`)) {
        throw new MeshformError(`the build names ${key} after a Pulumi Output`, {
          construct: `MeshStack ${name}`,
          fix: 'Names of objects (and what they are made of: namespaces, the hosts a gateway route is named after) must be plain strings; keep value() for images, env values and other free text.',
        });
      }
      if (resources.has(key)) {
        throw new MeshformError(`the build creates ${key} twice`, {
          construct: `MeshStack ${name}`,
          fix: 'Give each object its own name.',
        });
      }
      const dependsOn: pulumi.Resource[] = [];
      const namespace = manifest.metadata.namespace;
      const namespaceResource = namespace ? resources.get(`Namespace ${namespace}`) : undefined;
      if (namespaceResource) dependsOn.push(namespaceResource);
      if (args.istio && isIstioKind(manifest)) dependsOn.push(...args.istio.crdsReady);
      if (args.istio && createsPods(manifest)) dependsOn.push(args.istio.istiod);
      // Only a Secret keeps a secret: anywhere else it would be stored and shown in plain text.
      const refuseSecret = (path: string) =>
        new pulumi.RunError(
          new MeshformError(`a Pulumi secret would be written in plain text into ${key} at ${path}`, {
            construct: `MeshStack ${name}`,
            fix: 'Keep secrets in a Kubernetes Secret (a @pulumi/kubernetes Secret, say) and read them with secretEnv: { NAME: { secret, key } }; value() is for images, hosts and other non-secret text.',
          }).message,
        );
      resources.set(
        key,
        newKubernetesResource(resourceName(name, manifest), tokens.resolve(manifest, manifest.kind === 'Secret' ? undefined : refuseSecret), { parent: this, dependsOn }),
      );
    }
    this.resources = resources;
    this.registerOutputs({});
  }

  /** The resource registered for an object, e.g. `resource('VirtualService', 'reviews', 'shop')`. */
  public resource(kind: string, name: string, namespace?: string): pulumi.CustomResource {
    const key = namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
    const found = this.resources.get(key);
    if (!found) {
      throw new MeshformError(`this stack has no ${key}`, {
        construct: `MeshStack ${this.stackName}`,
        fix: `Registered objects are: ${[...this.resources.keys()].join(', ')}.`,
      });
    }
    return found;
  }
}

/** Runs the build on a fresh app and returns the objects cdk8s synthesizes, validated. */
function synthesize(name: string, args: MeshStackArgs, tokens: InputTokens): ResourceManifest[] {
  // Synthesized to a string only: the outdir is never created.
  const app = new App({ outdir: '.meshform-unused' });
  const chart = new Chart(app, name, { namespace: args.namespace });
  // One source of truth for the ingress gateway: the one this stack's Istio installs.
  if (args.istio?.ingressGateway) MeshGateway.useInstalledGateway(chart, args.istio.ingressGateway);
  args.build(chart, { value: (input) => tokens.value(input) });
  return parseDocuments(app.synthYaml(), `MeshStack ${name}`) as ResourceManifest[];
}

/** Namespaces and CRDs first (they must exist before what lives in or uses them), otherwise as synthesized. */
function orderForApply(manifests: ResourceManifest[]): ResourceManifest[] {
  const first = (m: ResourceManifest) => m.kind === 'Namespace' || m.kind === 'CustomResourceDefinition';
  return [...manifests.filter(first), ...manifests.filter((m) => !first(m))];
}

/** Stable Pulumi name: `<stack>/<namespace>/<name>`; the type in the URN tells kinds apart. */
function resourceName(stack: string, manifest: ResourceManifest): string {
  const { name, namespace } = manifest.metadata;
  return namespace ? `${stack}/${namespace}/${name}` : `${stack}/${name}`;
}
