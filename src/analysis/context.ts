import type { CrdSchemaPack } from '../../imports/crd-schemas.js';
import type { Diagnostic } from './diagnostic.js';
import { appendTo, kindKey, type KubeObject, type MeshConfig, type MeshNetworks, originOf, rootNamespaceOf } from '../core/index.js';
import { formatTemplate, type MessageName, MESSAGES } from './messages.js';
import type { ResourceIndex } from './resources/resource-index.js';

/** What an analyzer sees: the indexed objects and the mesh config; and where it reports. */
export class AnalysisContext {
  public readonly diagnostics: Diagnostic[] = [];
  public readonly rootNamespace: string;

  public constructor(
    public readonly index: ResourceIndex,
    public readonly meshConfig: MeshConfig,
    /** Every input object, including those left out of the index for having fields of the wrong type. */
    public readonly allObjects: readonly KubeObject[] = index.objects,
    /** The objects as given, without the defaults assumed to exist besides them. */
    public readonly inputObjects: readonly KubeObject[] = allObjects,
    /** The mesh networks of a multi-network mesh, when given. */
    public readonly meshNetworks?: MeshNetworks,
    /** The file an input object was read from, when known. */
    public readonly sourceOf: (object: KubeObject) => string | undefined = () => undefined,
    /** CRDs given with the input, whose CEL rules apply besides the bundled ones. */
    public readonly crds?: CrdSchemaPack,
  ) {
    this.rootNamespace = rootNamespaceOf(meshConfig);
  }

  private allByKind?: Map<string, KubeObject[]>;

  /** Every input object of a kind (`<group>/<Kind>`), also those the index leaves out for a field of the wrong type. */
  public allOfKind(kind: string): readonly KubeObject[] {
    if (!this.allByKind) {
      this.allByKind = new Map();
      for (const object of this.allObjects) appendTo(this.allByKind, kindKey(object), object);
    }
    return this.allByKind.get(kind) ?? [];
  }

  /**
   * Records one finding of the message type `name` on `object`; `fix`, where the analyzer knows
   * what exactly to do, replaces the message type's general advice.
   */
  public report(name: MessageName, object: KubeObject, args: readonly unknown[] = [], path?: string, fix?: string): void {
    const type = MESSAGES[name];
    this.diagnostics.push({
      code: type.code,
      level: type.level,
      origin: originOf(object),
      message: formatTemplate(type.template, args),
      ...(path ? { path } : {}),
      ...(fix || type.fix ? { fix: fix ?? type.fix } : {}),
    });
  }
}

/** One check, named as Istio names its analyzer (`virtualservice.GatewayAnalyzer`) or `meshform.*`. */
export interface Analyzer {
  readonly name: string;
  /**
   * The Go type's name where Istio's Metadata name differs from it (`deployment.ApplicationUIDAnalyzer`
   * for `applicationUID.Analyzer`): Istio's own tests select analyzers by type.
   * @default - none
   */
  readonly typeName?: string;
  /**
   * The Go file of Istio's analyzer this check follows, under pkg/config/analysis/analyzers/.
   * @default - none: a meshform check
   */
  readonly goFile?: string;
  /** Every code this analyzer can report. */
  readonly codes: readonly string[];
  analyze(context: AnalysisContext): void;
}
