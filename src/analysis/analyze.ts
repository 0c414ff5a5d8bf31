import { compareCodeUnits, type KubeObject, KUBERNETES_SYSTEM_NAMESPACES, type MeshConfig, type MeshNetworks, MeshformError } from '../core/index.js';
import { packFromCrds } from '../../imports/crd-schemas.js';
import { ANALYZERS } from './analyzers/all.js';
import { AnalysisContext, type Analyzer } from './context.js';
import { DEFAULT_INGRESS_GATEWAY } from './resources/default-resources.js';
import { compareDiagnostics, type Diagnostic } from './diagnostic.js';
import { ResourceIndex } from './resources/resource-index.js';
import { parseSuppressions, withoutSuppressed } from './suppression.js';
import { wellTyped } from './validation/well-typed.js';


export const ANALYZER_NAMES: readonly string[] = ANALYZERS.map((a) => a.name).sort();

/** What `--list-analyzers` shows of one analyzer. */
export interface AnalyzerInfo {
  /** Istio's name for it (`virtualservice.GatewayAnalyzer`), or `meshform.*`. */
  readonly name: string;
  readonly codes: readonly string[];
  /** `istio` when it follows Istio's Go analyzer of the same name, `meshform` for MF checks. */
  readonly origin: 'istio' | 'meshform';
  /**
   * The Go file it follows, under Istio's pkg/config/analysis/analyzers/.
   * @default - none, for meshform's checks
   */
  readonly goFile?: string;
}

/** Every analyzer with the codes it reports, sorted by name. */
export function listAnalyzers(): AnalyzerInfo[] {
  return ANALYZERS.map(({ name, codes, goFile }) => ({
    name,
    codes: [...codes].sort(),
    origin: goFile ? ('istio' as const) : ('meshform' as const),
    ...(goFile ? { goFile } : {}),
  })).sort((a, b) => compareCodeUnits(a.name, b.name));
}

export interface AnalyzeOptions {
  /**
   * The mesh config (root namespace, default providers, proxy metadata).
   * @default - Istio's defaults
   */
  readonly meshConfig?: MeshConfig;
  /**
   * The mesh networks (the `meshNetworks` of the istio ConfigMap) of a multi-network mesh.
   * @default - none: a single network
   */
  readonly meshNetworks?: MeshNetworks;
  /**
   * Objects assumed to exist besides the input, as istioctl assumes its default ingress gateway.
   * @default DEFAULT_INGRESS_GATEWAY
   */
  readonly defaultResources?: readonly KubeObject[];
  /**
   * Run only these analyzers (names as in ANALYZER_NAMES).
   * @default - all
   */
  readonly analyzers?: readonly string[];
  /**
   * Skip these analyzers.
   * @default - none
   */
  readonly exclude?: readonly string[];
  /**
   * Findings to leave out, as `CODE=Kind namespace/name` (or istioctl's `CODE=Kind name.namespace`),
   * `*` matching anything. Objects can also suppress findings about themselves with the
   * `galley.istio.io/analyze-suppress` annotation (codes, comma-separated, or `*`), as in Istio.
   * @default - none
   */
  readonly suppress?: readonly string[];
  /**
   * The file an input object was read from, for findings that compare objects across files (MF0006).
   * @default - sources unknown
   */
  readonly sourceOf?: (object: KubeObject) => string | undefined;
  /**
   * CustomResourceDefinitions whose CEL rules (`x-kubernetes-validations`) objects of their kinds
   * must keep, besides the bundled Istio and Gateway API ones: KEDA's, cert-manager's, your own.
   * CRDs among the input objects count too.
   * @default - the CRDs among the input
   */
  readonly crds?: readonly KubeObject[];
}

/**
 * Analyzes a set of manifests the way `istioctl analyze --use-kube=false` does, plus meshform's
 * own checks. Pure: objects in, diagnostics out, in a stable order without duplicates.
 */
export function analyze(objects: readonly KubeObject[], options: AnalyzeOptions = {}): Diagnostic[] {
  const defaults = options.defaultResources ?? DEFAULT_INGRESS_GATEWAY;
  const suppressions = parseSuppressions(options.suppress ?? []);
  for (const name of [...(options.analyzers ?? []), ...(options.exclude ?? [])]) {
    if (!ANALYZER_NAMES.includes(name) && !ANALYZERS.some((analyzer) => analyzer.typeName === name)) {
      throw new MeshformError(`there is no analyzer "${name}"`, { field: 'analyzers', fix: `Analyzers are: ${ANALYZER_NAMES.join(', ')}.` });
    }
  }
  const selected = ANALYZERS.filter(
    (analyzer) => (!options.analyzers || namedIn(options.analyzers, analyzer)) && !(options.exclude && namedIn(options.exclude, analyzer)),
  );
  // Istio's analysis drops every object of the Kubernetes system namespaces before any analyzer
  // runs (istiod_analyze.go, inject.IgnoredNamespaces); Namespaces go by their own name.
  const analyzed = objects.filter((object) => !KUBERNETES_SYSTEM_NAMESPACES.includes(object.kind === 'Namespace' ? String(object.metadata?.name ?? '') : String(object.metadata?.namespace ?? '')));
  const all = [...analyzed, ...defaults];
  const crds = packFromCrds([...(options.crds ?? []), ...analyzed.filter((object) => object.kind === 'CustomResourceDefinition')], 'the given CRDs');
  const context = new AnalysisContext(new ResourceIndex(wellTyped(all)), options.meshConfig ?? {}, all, analyzed, options.meshNetworks, options.sourceOf, crds);
  for (const analyzer of selected) analyzer.analyze(context);

  // Istio's SortedDedupedCopy: one finding per level, code, object and text, whatever field it was
  // found at (the first, as the analyzer reached it).
  const seen = new Set<string>();
  return withoutSuppressed(context.diagnostics, analyzed, suppressions)
    .filter((diagnostic) => {
      const key = `${diagnostic.level}|${diagnostic.code}|${diagnostic.origin}|${diagnostic.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(compareDiagnostics);
}

/** True when `names` holds the analyzer's name or its Go type's. */
function namedIn(names: readonly string[], analyzer: Analyzer): boolean {
  return names.includes(analyzer.name) || (analyzer.typeName !== undefined && names.includes(analyzer.typeName));
}
