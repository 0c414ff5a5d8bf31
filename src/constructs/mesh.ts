import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { PeerAuthentication } from '../../imports/security.istio.io.js';
import { assertDnsLabel, sortedLabels, type Labels } from '../core/index.js';
import { enableMeshValidation } from './mesh-validation.js';

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
   * Whether Istio injects sidecars into the namespace's pods.
   * @default true
   */
  readonly injection?: boolean;
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

  public constructor(scope: Construct, id: string, props: MeshProps = {}) {
    super(scope, id);
    enableMeshValidation(this);
    this.namespace = assertDnsLabel(props.namespace ?? id, { construct: this.node.path, field: 'namespace' });
    this.mtls = props.mtls ?? 'STRICT';
    this.revision = props.revision;

    const injection = props.injection ?? true;
    const injectionLabels: Record<string, string> = !injection
      ? { 'istio-injection': 'disabled' }
      : props.revision
        ? { 'istio.io/rev': props.revision }
        : { 'istio-injection': 'enabled' };

    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: this.namespace, labels: sortedLabels({ ...props.labels, ...injectionLabels }) },
    });

    const peerAuthentication = new PeerAuthentication(this, 'PeerAuthentication', {
      metadata: { name: 'default', namespace: this.namespace },
      spec: { mtls: { mode: this.mtls } },
    });
    peerAuthentication.addDependency(this.namespaceObject);
  }
}
