import { ApiObject } from 'cdk8s';

/** A render made for the synth-time checks, with what it depended on. */
interface PendingRender {
  readonly json: unknown;
  readonly version: number;
  readonly patches: number;
  readonly metadata: string;
}

/**
 * An ApiObject whose render for meshform's synth-time checks is reused by the write that follows.
 * cdk8s renders every object again when it writes YAML, which would double the cost of a large
 * chart. A render is reused once, and only while nothing it depends on has changed: meshform's
 * constructs (a version they bump on every change), the object's JSON patches and its metadata.
 */
export class MeshApiObject extends ApiObject {
  /** True for a MeshApiObject (`instanceof` would say so of any ApiObject: cdk8s overrides it). */
  public static isMeshApiObject(value: unknown): value is MeshApiObject {
    return value instanceof ApiObject && typeof (value as Partial<MeshApiObject>).renderForCheck === 'function';
  }

  /** The version of meshform's construct state, provided by the synth-time checks. */
  public static stateVersion: () => number = () => 0;
  private pending?: PendingRender;

  /** Renders the object for a check; the next toJson() returns this render if nothing changed. */
  public renderForCheck(): unknown {
    const json = super.toJson();
    this.pending = { json, version: MeshApiObject.stateVersion(), patches: this.patchCount(), metadata: this.metadataFingerprint() };
    return json;
  }

  public override toJson(): any {
    const pending = this.pending;
    this.pending = undefined;
    if (pending && pending.version === MeshApiObject.stateVersion() && pending.patches === this.patchCount() && pending.metadata === this.metadataFingerprint()) {
      return pending.json;
    }
    return super.toJson();
  }

  private patchCount(): number {
    return (this as unknown as { readonly patches: readonly unknown[] }).patches.length;
  }

  /** What the metadata holds, without rendering it (the metadata refers back to this object). */
  private metadataFingerprint(): string {
    const { name, namespace, labels, annotations, finalizers, ownerReferences, _additionalAttributes } = this.metadata as unknown as Record<string, unknown>;
    return JSON.stringify([name, namespace, labels, annotations, finalizers, ownerReferences, _additionalAttributes]);
  }
}
