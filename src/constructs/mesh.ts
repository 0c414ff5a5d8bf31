import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Sidecar } from '../../imports/networking.istio.io.js';
import { AuthorizationPolicy, PeerAuthentication } from '../../imports/security.istio.io.js';
import { assertDnsLabel, assertLabels, isLabelValue, MeshformError, sortedLabels, type Labels, assertOptionalOneOf } from '../core/index.js';
import type { InjectionValuesOverride } from '../injection/index.js';
import { enableMeshValidation } from './validation/mesh-validation.js';
import type { SidecarSettings } from './pod-template.js';
import { INJECTION_MODES, type InjectionMode } from './options/sidecar-options.js';
import { Telemetry } from '../../imports/telemetry.istio.io.js';
import { renderTelemetry, type TelemetryOptions } from './observability/telemetry-options.js';
import { checkedId } from './validation/check-props.js';

/** How workloads in the mesh accept traffic: mTLS only, or mTLS and plain text. */
export type MtlsMode = 'STRICT' | 'PERMISSIVE';

export interface MeshProps {
  /**
   * Name of the Namespace the mesh's workloads live in.
   * @default - the construct id
   */
  readonly namespace?: string;
  /**
   * Istio revision (canary control plane) the namespace is bound to; sets `istio.io/rev`
   * instead of `istio-injection: enabled`.
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Mutual TLS for every workload in the namespace (a `default` PeerAuthentication).
   * @default 'STRICT'
   */
  readonly mtls?: MtlsMode;
  /**
   * How the namespace's workloads get their sidecar: `auto` labels the namespace for Istio's
   * webhook; `manual` synthesizes pods that already carry it (and labels the namespace so the
   * webhook stays away); `disabled` runs them without. A workload can choose otherwise.
   * @default 'auto'
   */
  readonly injection?: InjectionMode;
  /**
   * Native sidecars (istio-proxy as an init container with `restartPolicy: Always`,
   * Kubernetes ≥ 1.29), so that Jobs complete; false for the classic layout on older clusters.
   * @default true
   */
  readonly nativeSidecars?: boolean;
  /**
   * Give each workload a `Sidecar` resource whose egress lists only the services it
   * `connectTo`s and the control plane, so that istiod pushes each proxy only that config: far
   * less memory per proxy in a large mesh. Calls to in-mesh services that were not declared then
   * leave the proxy unrouted, without mutual TLS.
   * @default false
   */
  readonly scopeSidecars?: boolean;
  /**
   * What the namespace's proxies do with calls to hosts outside the service registry:
   * `REGISTRY_ONLY` blocks them (a namespace-wide Sidecar), so that the only ways out are the
   * ServiceEntries and EgressGateways you declare.
   * @default 'ALLOW_ANY' (Istio's default)
   */
  readonly outboundTrafficPolicy?: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /**
   * An allow-nothing AuthorizationPolicy (`spec: {}`) for the namespace, so that a request no
   * ALLOW policy admits is refused: only the `connectTo` edges and gateway routes open anything.
   * @default true
   */
  readonly denyByDefault?: boolean;
  /**
   * Tracing, access logging and metrics for the namespace (a `default` Telemetry), over the
   * mesh-wide settings (`MeshDefaults`).
   * @default - the mesh-wide settings
   */
  readonly telemetry?: TelemetryOptions;
  /**
   * Helm values of the injector, for manual injection (hub, tag, proxy resources, …).
   * @default - Istio's defaults
   */
  readonly injectionValues?: InjectionValuesOverride;
  /**
   * Extra labels on the Namespace.
   * @default - none
   */
  readonly labels?: Labels;
}

/**
 * A meshed namespace: the Namespace with Istio's injection label and a namespace-wide
 * PeerAuthentication (STRICT unless asked otherwise). Workloads given `mesh` live in it.
 */
export class Mesh extends Construct {
  /** Name of the Namespace. */
  public readonly namespace: string;
  public readonly mtls: MtlsMode;
  public readonly revision?: string;
  /** The Namespace object, for dependencies. */
  public readonly namespaceObject: k8s.KubeNamespace;
  /** How the namespace's workloads get their sidecar, unless they say otherwise. */
  public readonly sidecars: SidecarSettings;
  /** True when the namespace refuses every request no ALLOW policy admits. */
  public readonly denyByDefault: boolean;

  public constructor(scope: Construct, id: string, props: MeshProps = {}) {
    super(scope, checkedId(scope, id, props, 'MeshProps'));
    enableMeshValidation(this);
    this.namespace = assertDnsLabel(props.namespace ?? id, { construct: this.node.path, field: 'namespace' });
    const at = (field: string) => ({ construct: this.node.path, field });
    this.mtls = assertOptionalOneOf(props.mtls, ['STRICT', 'PERMISSIVE'], at('mtls')) ?? 'STRICT';
    if (props.revision !== undefined && (props.revision === '' || !isLabelValue(props.revision))) {
      throw new MeshformError(`"${props.revision.slice(0, 80)}" is not a revision name`, {
        ...at('revision'),
        fix: "A revision is a label value (istio.io/rev): up to 63 letters, digits, '-', '_' and '.', e.g. '1-29-0' or 'canary'.",
      });
    }
    this.revision = props.revision;
    assertOptionalOneOf(props.outboundTrafficPolicy, ['ALLOW_ANY', 'REGISTRY_ONLY'], at('outboundTrafficPolicy'));

    this.sidecars = {
      mode: assertOptionalOneOf(props.injection, INJECTION_MODES, at('injection')) ?? 'auto',
      revision: props.revision,
      nativeSidecars: props.nativeSidecars ?? true,
      scoped: props.scopeSidecars ?? false,
      values: props.injectionValues,
      registryOnly: props.outboundTrafficPolicy === 'REGISTRY_ONLY',
    };
    const injectionLabels: Record<string, string> =
      this.sidecars.mode !== 'auto'
        ? { 'istio-injection': 'disabled' }
        : props.revision
          ? { 'istio.io/rev': props.revision }
          : { 'istio-injection': 'enabled' };

    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: this.namespace, labels: sortedLabels({ ...assertLabels(props.labels ?? {}, at('labels')), ...injectionLabels }) },
    });

    const peerAuthentication = new PeerAuthentication(this, 'PeerAuthentication', {
      metadata: { name: 'default', namespace: this.namespace },
      spec: { mtls: { mode: this.mtls } },
    });
    peerAuthentication.addDependency(this.namespaceObject);

    this.denyByDefault = props.denyByDefault ?? true;
    if (this.denyByDefault) {
      new AuthorizationPolicy(this, 'AllowNothing', { metadata: { name: 'allow-nothing', namespace: this.namespace }, spec: {} });
    }

    if (props.telemetry) {
      new Telemetry(this, 'Telemetry', {
        metadata: { name: 'default', namespace: this.namespace },
        spec: renderTelemetry(props.telemetry, { construct: this.node.path, field: 'telemetry' }),
      });
    }

    if (this.sidecars.registryOnly) {
      new Sidecar(this, 'Sidecar', {
        metadata: { name: 'default', namespace: this.namespace },
        spec: { egress: [{ hosts: ['*/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
      });
    }
  }
}
