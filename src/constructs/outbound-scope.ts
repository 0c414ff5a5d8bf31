import { Lazy } from 'cdk8s';
import { markMeshChanged } from './validation/synth-turn.js';
import type { Construct } from 'constructs';
import { Sidecar, type SidecarSpec } from '../../imports/networking.istio.io.js';
import { suppressedFindings } from '../analysis/index.js';

/** A server a client calls: where it lives and its cluster-local name. */
export interface OutboundTarget {
  readonly namespace: string;
  readonly fqdn: string;
  /** The `namespace/host` entries a caller's Sidecar needs to reach it. @internal */
  _sidecarHosts(): string[];
}

/**
 * The services a client calls (declared with `connectTo`). When the mesh scopes sidecars, it
 * becomes the client's `Sidecar` resource: istiod then pushes that proxy only the config of those
 * services and the control plane, instead of the whole mesh's.
 */
export class OutboundScope {
  private readonly targets = new Map<string, OutboundTarget>();

  public constructor(
    owner: Construct,
    identity: { readonly name: string; readonly namespace: string },
    rootNamespace: string | undefined,
    registryOnly: boolean,
    podsCreatedAtRunTime = false,
  ) {
    if (rootNamespace === undefined) return;
    new Sidecar(owner, 'Sidecar', {
      metadata: {
        name: identity.name,
        namespace: identity.namespace,
        // Pods a controller creates from a template are not in the manifests for its selector to find.
        ...(podsCreatedAtRunTime ? suppressedFindings('IST0101') : {}),
      },
      spec: Lazy.any({
        produce: (): SidecarSpec => ({
          workloadSelector: { labels: { app: identity.name } },
          // A workload's Sidecar replaces the namespace's, so it repeats the namespace's policy.
          ...(registryOnly ? { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } : {}),
          egress: [{ hosts: [...new Set([...[...this.targets.values()].flatMap((target) => target._sidecarHosts()).sort(), `${rootNamespace}/*`])] }],
        }),
      }),
    });
  }

  public add(target: OutboundTarget): void {
    markMeshChanged();
    this.targets.set(`${target.namespace}/${target.fqdn}`, target);
  }
}
