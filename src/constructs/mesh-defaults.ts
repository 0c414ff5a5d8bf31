import { Construct } from 'constructs';
import { PeerAuthentication } from '../../imports/security.istio.io.js';
import { Telemetry } from '../../imports/telemetry.istio.io.js';
import { assertDnsLabel, ISTIO_SYSTEM_NAMESPACE, assertOptionalOneOf } from '../core/index.js';
import { enableMeshValidation } from './validation/mesh-validation.js';
import type { MtlsMode } from './mesh.js';
import { renderTelemetry, type TelemetryOptions } from './observability/telemetry-options.js';
import { checkedId } from './validation/check-props.js';

export interface MeshDefaultsProps {
  /**
   * Istio's root namespace, where mesh-wide policy lives (`meshConfig.rootNamespace`).
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * Mutual TLS for every workload of the mesh that no namespace or workload policy overrides.
   * @default 'STRICT'
   */
  readonly mtls?: MtlsMode;
  /**
   * Mesh-wide tracing, access logging and metrics (a `mesh-default` Telemetry).
   * @default - none: the mesh config's defaults
   */
  readonly telemetry?: TelemetryOptions;
}

/**
 * Mesh-wide policy in the root namespace, under every namespace's (`Mesh`) and workload's own:
 * the `default` PeerAuthentication and, if asked, the `mesh-default` Telemetry. One per mesh.
 */
export class MeshDefaults extends Construct {
  public readonly rootNamespace: string;

  public constructor(scope: Construct, id: string, props: MeshDefaultsProps = {}) {
    super(scope, checkedId(scope, id, props, 'MeshDefaultsProps'));
    enableMeshValidation(this);
    this.rootNamespace = assertDnsLabel(props.rootNamespace ?? ISTIO_SYSTEM_NAMESPACE, { construct: this.node.path, field: 'rootNamespace' });
    new PeerAuthentication(this, 'PeerAuthentication', {
      metadata: { name: 'default', namespace: this.rootNamespace },
      spec: { mtls: { mode: assertOptionalOneOf(props.mtls, ['STRICT', 'PERMISSIVE'], { construct: this.node.path, field: 'mtls' }) ?? 'STRICT' } },
    });
    if (props.telemetry) {
      new Telemetry(this, 'Telemetry', {
        metadata: { name: 'mesh-default', namespace: this.rootNamespace },
        spec: renderTelemetry(props.telemetry, { construct: this.node.path, field: 'telemetry' }),
      });
    }
  }
}
