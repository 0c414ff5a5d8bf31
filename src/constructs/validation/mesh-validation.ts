import { ApiObject, App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { IstioApiObject } from '../../../imports/istio-api-object.js';
import { MeshApiObject } from '../../../imports/mesh-api-object.js';
import { analyze, DEFAULT_INGRESS_GATEWAY, type Diagnostic, type Level, levelRank } from '../../analysis/index.js';
import { installedGatewayOf, installedGatewayPod } from '../options/installed-gateway.js';
import { appendTo, duplicateObjects, type KubeObject, type MeshConfig, MeshformError, type MeshformProblem, originOf } from '../../core/index.js';
import { cachedSchemaIssues } from '../../analysis/validation/well-typed.js';
import { markMeshChanged, oncePerSynth } from './synth-turn.js';
import '../../../imports/schema-models.js';

/** How a chart's objects are analyzed when the app is synthesized. */
export interface MeshAnalysisOptions {
  /**
   * Findings at or above this level fail the synth.
   * @default 'Error'
   */
  readonly failureThreshold?: Level;
  /**
   * Findings at or above this level (and below the failure threshold) are printed.
   * @default 'Warning'
   */
  readonly outputThreshold?: Level;
  /**
   * Level per code, to turn a finding up (`{ MF0001: 'Error' }`) or off (`{ IST0102: 'off' }`).
   * @default { IST0118: 'Error' } — a port Istio cannot read the protocol of is a bug in IaC
   */
  readonly levels?: Readonly<Record<string, Level | 'off'>>;
  /**
   * Analyzers not to run.
   * @default ['gateway.SecretAnalyzer'] — TLS Secrets are usually issued outside the IaC repo
   */
  readonly exclude?: readonly string[];
  /**
   * The mesh config the cluster runs with.
   * @default - Istio's defaults
   */
  readonly meshConfig?: MeshConfig;
  /**
   * Where the findings that are printed go instead (at or above `outputThreshold`, below the
   * failure threshold): a test collects them to assert on, or to keep its output quiet.
   * @default - printed to stderr, one line each
   */
  readonly onFinding?: (finding: MeshFinding) => void;
  /**
   * CustomResourceDefinitions whose CEL rules objects of their kinds must keep (KEDA's,
   * cert-manager's, your own), besides the bundled Istio and Gateway API CRDs.
   * @default - none
   */
  readonly crds?: readonly KubeObject[];
}

/** A finding of the synth-time analysis, with the construct that made the object. */
export interface MeshFinding extends Diagnostic {
  /** Construct path of the object the finding is about. */
  readonly construct: string;
}

const DEFAULT_LEVELS: Readonly<Record<string, Level | 'off'>> = { IST0118: 'Error' };
const DEFAULT_EXCLUDE: readonly string[] = ['gateway.SecretAnalyzer'];

const settings = new WeakMap<Chart, MeshAnalysisOptions>();

/** Sets how the chart that holds `scope` is analyzed at synth (see MeshAnalysisOptions). */
export function configureMeshAnalysis(scope: IConstruct, options: MeshAnalysisOptions): void {
  const chart = Chart.of(scope);
  settings.set(chart, { ...settings.get(chart), ...options });
  markMeshChanged();
  enableMeshValidation(chart);
}

const validated = new WeakSet<Chart>();

/**
 * Makes the chart that holds `scope` check its objects when the app is synthesized, before
 * anything is written: every object against its upstream schema, then the analyzer over every
 * object of the app. Findings at the failure threshold are one MeshformError that names each
 * object by construct path; lesser ones are printed.
 */
export function enableMeshValidation(scope: IConstruct): void {
  const chart = Chart.of(scope);
  if (validated.has(chart)) return;
  validated.add(chart);
  IstioApiObject.schemasCheckedBy(chart);
  chart.node.addValidation({
    validate: () => {
      const verdict = oncePerSynth(App.of(chart), () => verdictsOf(App.of(chart))).get(chart);
      if (verdict) throw verdict;
      return [];
    },
  });
}

/**
 * Checks every chart of the app that holds a meshform construct, rendering each object of the app
 * once: undefined for a chart that passes, else its error. The verdicts are kept for the synth;
 * meshform's objects keep their render until cdk8s writes them, which then costs no second render.
 */
function verdictsOf(app: App): Map<Chart, MeshformError | undefined> {
  const objects = app.node.findAll().filter(ApiObject.isApiObject);
  // meshform's own objects keep this render for the write that follows (MeshApiObject).
  const manifests = new Map(objects.map((object) => [object, (MeshApiObject.isMeshApiObject(object) ? object.renderForCheck() : object.toJson()) as KubeObject]));
  const byChart = new Map<Chart, ApiObject[]>();
  for (const object of objects) appendTo(byChart, Chart.of(object), object);
  const duplicates = duplicateObjects(objects, (object) => manifests.get(object)!);
  const analyses = new Map<string, Diagnostic[]>();
  const verdicts = new Map<Chart, MeshformError | undefined>();
  for (const [chart, own] of byChart) {
    if (validated.has(chart)) verdicts.set(chart, verdictOf(chart, own, manifests, duplicates, analyses));
  }
  return verdicts;
}

function verdictOf(
  chart: Chart,
  objects: readonly ApiObject[],
  manifests: ReadonlyMap<ApiObject, KubeObject>,
  duplicateGroups: readonly ApiObject[][],
  analyses: Map<string, Diagnostic[]>,
): MeshformError | undefined {
  const options = settings.get(chart) ?? {};
  const mine = new Set(objects);
  const duplicates = duplicateGroups
    .filter((same) => same.some((object) => mine.has(object)))
    .map((same) => {
      const first = manifests.get(same[0]!)!;
      return `${first.kind} ${first.metadata?.namespace ?? ''}/${first.metadata?.name} is defined by ${same.map((o) => o.node.path).join(' and by ')}`;
    });
  if (duplicates.length > 0) {
    return new MeshformError(`chart ${chart.node.id} defines ${duplicates.length} object${duplicates.length === 1 ? '' : 's'} that another construct defines too:\n  ${duplicates.join('\n  ')}`, {
      fix: 'Give each construct its own name (or namespace): applied, one object would overwrite the other. Nothing was written.',
    });
  }
  const schemaProblems = objects.flatMap((object) => {
    const manifest = manifests.get(object)!;
    return (cachedSchemaIssues(manifest) ?? []).map((issue) => ({ construct: object.node.path, problem: `${manifest.kind} ${manifest.metadata?.name}: ${issue.path || '/'} ${issue.message}` }));
  });
  if (schemaProblems.length > 0) return invalid(chart, 'object', schemaProblems);

  // One analysis of every object of the app per distinct setting, shared by the charts.
  const exclude = options.exclude ?? DEFAULT_EXCLUDE;
  // An installed ingress gateway's pods are not in the output, but Gateways select them.
  const installed = installedGatewayOf(chart);
  const defaultResources = installed ? [...DEFAULT_INGRESS_GATEWAY, installedGatewayPod(installed)] : DEFAULT_INGRESS_GATEWAY;
  const key = JSON.stringify({ exclude, meshConfig: options.meshConfig, installed, crds: options.crds });
  if (!analyses.has(key)) analyses.set(key, analyze([...manifests.values()], { meshConfig: options.meshConfig, exclude, defaultResources, crds: options.crds }));
  const findings = findingsOn(objects, manifests, analyses.get(key)!, options);
  const failAt = levelRank(options.failureThreshold ?? 'Error');
  const printAt = levelRank(options.outputThreshold ?? 'Warning');
  for (const { diagnostic, path } of findings) {
    const rank = levelRank(diagnostic.level);
    if (rank >= failAt || rank < printAt) continue;
    if (options.onFinding) options.onFinding({ ...diagnostic, construct: path });
    else process.stderr.write(`meshform: ${diagnostic.level} [${path}] ${describe(diagnostic)}\n`);
  }
  const failures = findings.filter((f) => levelRank(f.diagnostic.level) >= failAt);
  return failures.length > 0 ? invalid(chart, 'finding', failures.map(({ diagnostic, path }) => ({ construct: path, problem: describe(diagnostic) }))) : undefined;
}

interface Finding {
  readonly diagnostic: Diagnostic;
  readonly path: string;
}

/** The findings on these objects, with their construct paths and the chart's levels. */
function findingsOn(objects: readonly ApiObject[], manifests: ReadonlyMap<ApiObject, KubeObject>, diagnostics: readonly Diagnostic[], options: MeshAnalysisOptions): Finding[] {
  const paths = new Map(objects.map((object) => [originOf(manifests.get(object)!), object.node.path]));
  const levels = { ...DEFAULT_LEVELS, ...options.levels };
  return diagnostics.flatMap((diagnostic) => {
    const path = paths.get(diagnostic.origin);
    const level = levels[diagnostic.code];
    if (path === undefined || level === 'off') return [];
    return [{ diagnostic: level ? { ...diagnostic, level } : diagnostic, path }];
  });
}

function describe(diagnostic: Diagnostic): string {
  const where = diagnostic.path ? ` (${diagnostic.path})` : '';
  return `${diagnostic.code} ${diagnostic.origin}${where}: ${diagnostic.message}${diagnostic.fix ? ` Fix: ${diagnostic.fix}` : ''}`;
}

function invalid(chart: Chart, what: string, problems: readonly MeshformProblem[]): MeshformError {
  const lines = problems.map(({ construct, problem }) => `[${construct}] ${problem}`);
  return new MeshformError(
    `the chart has ${problems.length} invalid ${what}${problems.length === 1 ? '' : 's'}:\n  ${lines.join('\n  ')}`,
    { construct: chart.node.path, fix: 'Fix what is named above; nothing was written.' },
    problems,
  );
}
