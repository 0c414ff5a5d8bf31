import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';
import { schemaIssues } from './schemas.js';

/** Props of every Istio custom resource: metadata and the kind's own spec. */
export interface IstioApiObjectProps<Spec> {
  readonly metadata?: ApiObjectMetadata;
  readonly spec: Spec;
}

/**
 * An Istio custom resource whose spec is typed from @kubernetes-models/istio and which validates
 * itself against that package's schema when the app is synthesized (cdk8s reports the failure
 * with this object's construct path).
 */
export abstract class IstioApiObject<Spec> extends ApiObject {
  protected constructor(scope: Construct, id: string, gvk: GroupVersionKind, props: IstioApiObjectProps<Spec>) {
    super(scope, id, { ...gvk, metadata: props.metadata, spec: props.spec });
    this.node.addValidation({
      validate: () =>
        (schemaIssues(this.toJson()) ?? []).map(
          (issue) => `${this.kind} ${this.name}: ${issue.path || '/'} ${issue.message} (schema of ${this.apiVersion})`,
        ),
    });
  }
}
