import { type KubeObject, type MeshConfig, MeshformError } from '../core/index.js';
import { ANALYZERS } from './analyzers/all.js';
import { gatewayWorkloadAnalyzer } from './analyzers/meshform/gateway-workload.js';
import { AnalysisContext } from './context.js';
import { DEFAULT_INGRESS_GATEWAY } from './resources/default-resources.js';
import { compareDiagnostics, type Diagnostic } from './diagnostic.js';
import { ResourceIndex } from './resources/resource-index.js';
import { wellTyped } from './well-typed.js';


export const ANALYZER_NAMES: readonly string[] = [...ANALYZERS.map((a) => a.name), 'meshform.GatewayWorkloadAnalyzer'].sort();

export interface AnalyzeOptions {
  /**
   * The mesh config (root namespace, default providers, proxy metadata).
   * @default - Istio's defaults
   */
  readonly meshConfig?: MeshConfig;
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
}

/**
 * Analyzes a set of manifests the way `istioctl analyze --use-kube=false` does, plus meshform's
 * own checks. Pure: objects in, diagnostics out, in a stable order without duplicates.
 */
export function analyze(objects: readonly KubeObject[], options: AnalyzeOptions = {}): Diagnostic[] {
  const defaults = options.defaultResources ?? DEFAULT_INGRESS_GATEWAY;
  for (const name of [...(options.analyzers ?? []), ...(options.exclude ?? [])]) {
    if (!ANALYZER_NAMES.includes(name)) {
      throw new MeshformError(`there is no analyzer "${name}"`, { field: 'analyzers', fix: `Analyzers are: ${ANALYZER_NAMES.join(', ')}.` });
    }
  }
  const selected = [...ANALYZERS, gatewayWorkloadAnalyzer(new Set(defaults))].filter(
    (analyzer) => (!options.analyzers || options.analyzers.includes(analyzer.name)) && !options.exclude?.includes(analyzer.name),
  );
  const all = [...objects, ...defaults];
  const context = new AnalysisContext(new ResourceIndex(wellTyped(all)), options.meshConfig ?? {}, all, objects);
  for (const analyzer of selected) analyzer.analyze(context);

  const seen = new Set<string>();
  return context.diagnostics
    .filter((diagnostic) => {
      const key = `${diagnostic.code}|${diagnostic.origin}|${diagnostic.message}|${diagnostic.path ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(compareDiagnostics);
}
