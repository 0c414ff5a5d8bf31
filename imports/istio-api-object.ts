import { Chart, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import { MeshApiObject } from './mesh-api-object.js';
import type { Construct } from 'constructs';
import { schemaIssues } from './schemas.js';
import './schema-models.js';

const chartsCheckingSchemas = new WeakSet<Chart>();

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
export abstract class IstioApiObject<Spec> extends MeshApiObject {
  /**
   * Tells the Istio objects of `chart` that the chart checks every object's schema itself (as
   * meshform's charts do), so that each object is checked once, not twice.
   */
  public static schemasCheckedBy(chart: Chart): void {
    chartsCheckingSchemas.add(chart);
  }

  protected constructor(scope: Construct, id: string, gvk: GroupVersionKind, props: IstioApiObjectProps<Spec>) {
    super(scope, id, { ...gvk, metadata: props.metadata, spec: props.spec });
    this.node.addValidation({
      validate: () =>
        chartsCheckingSchemas.has(Chart.of(this)) ? [] : (schemaIssues(this.toJson()) ?? []).map(
          (issue) => `${this.kind} ${this.name}: ${issue.path || '/'} ${issue.message} (schema of ${this.apiVersion})`,
        ),
    });
  }
}
