import { ApiObject, App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { IstioApiObject } from '../../imports/istio-api-object.js';
import { schemaIssues } from '../../imports/schemas.js';
import { analyze, type Diagnostic, type Level, levelRank } from '../analysis/index.js';
import { type MeshConfig, MeshformError, objectKey, originOf } from '../core/index.js';

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
}

const DEFAULT_LEVELS: Readonly<Record<string, Level | 'off'>> = { IST0118: 'Error' };
const DEFAULT_EXCLUDE: readonly string[] = ['gateway.SecretAnalyzer'];

const settings = new WeakMap<Chart, MeshAnalysisOptions>();

/** Sets how the chart that holds `scope` is analyzed at synth (see MeshAnalysisOptions). */
export function configureMeshAnalysis(scope: IConstruct, options: MeshAnalysisOptions): void {
  const chart = Chart.of(scope);
  settings.set(chart, { ...settings.get(chart), ...options });
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
      const options = settings.get(chart) ?? {};
      const objects = chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
      const duplicates = duplicatesOf(chart, objects);
      if (duplicates.length > 0) {
        throw new MeshformError(`chart ${chart.node.id} defines ${duplicates.length} object${duplicates.length === 1 ? '' : 's'} that another construct defines too:\n  ${duplicates.join('\n  ')}`, {
          fix: 'Give each construct its own name (or namespace): applied, one object would overwrite the other. Nothing was written.',
        });
      }
      const schemaProblems = objects.flatMap((object) => {
        const manifest = object.toJson();
        return (schemaIssues(manifest) ?? []).map(
          (issue) => `[${object.node.path}] ${manifest.kind} ${manifest.metadata?.name}: ${issue.path || '/'} ${issue.message}`,
        );
      });
      if (schemaProblems.length > 0) throw invalid(chart, 'object', schemaProblems);

      const findings = analyzeChart(chart, objects, options);
      const failAt = levelRank(options.failureThreshold ?? 'Error');
      const printAt = levelRank(options.outputThreshold ?? 'Warning');
      const failures = findings.filter((f) => levelRank(f.diagnostic.level) >= failAt);
      for (const { diagnostic, path } of findings) {
        const rank = levelRank(diagnostic.level);
        if (rank < failAt && rank >= printAt) process.stderr.write(`meshform: ${diagnostic.level} ${describe(diagnostic, path)}\n`);
      }
      if (failures.length > 0) throw invalid(chart, 'finding', failures.map(({ diagnostic, path }) => describe(diagnostic, path)));
      return [];
    },
  });
}

/**
 * Objects of this chart that another object of the app also defines (same group, kind, namespace
 * and name): applied, one would silently overwrite the other.
 */
function duplicatesOf(chart: Chart, objects: readonly ApiObject[]): string[] {
  const mine = new Set(objects);
  const byKey = new Map<string, ApiObject[]>();
  for (const object of App.of(chart).node.findAll().filter(ApiObject.isApiObject)) {
    const key = objectKey({ apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.name, namespace: object.metadata.namespace } });
    byKey.set(key, [...(byKey.get(key) ?? []), object]);
  }
  return [...byKey.values()]
    .filter((same) => same.length > 1 && same.some((object) => mine.has(object)))
    .map((same) => `${same[0]!.kind} ${same[0]!.metadata.namespace ?? ''}/${same[0]!.name} is defined by ${same.map((o) => o.node.path).join(' and by ')}`);
}

interface Finding {
  readonly diagnostic: Diagnostic;
  readonly path: string;
}

/** Analyzes every object of the app, keeping the findings on this chart's objects, with their construct paths. */
function analyzeChart(chart: Chart, objects: readonly ApiObject[], options: MeshAnalysisOptions): Finding[] {
  const paths = new Map(objects.map((object) => [originOf(object.toJson()), object.node.path]));
  const everything = App.of(chart)
    .node.findAll()
    .filter(ApiObject.isApiObject)
    .map((object) => object.toJson());
  const levels = { ...DEFAULT_LEVELS, ...options.levels };
  return analyze(everything, { meshConfig: options.meshConfig, exclude: options.exclude ?? DEFAULT_EXCLUDE }).flatMap((diagnostic) => {
    const path = paths.get(diagnostic.origin);
    const level = levels[diagnostic.code];
    if (path === undefined || level === 'off') return [];
    return [{ diagnostic: level ? { ...diagnostic, level } : diagnostic, path }];
  });
}

function describe(diagnostic: Diagnostic, path: string): string {
  const where = diagnostic.path ? ` (${diagnostic.path})` : '';
  return `[${path}] ${diagnostic.code} ${diagnostic.origin}${where}: ${diagnostic.message}${diagnostic.fix ? ` Fix: ${diagnostic.fix}` : ''}`;
}

function invalid(chart: Chart, what: string, problems: readonly string[]): MeshformError {
  return new MeshformError(
    `chart ${chart.node.id} has ${problems.length} invalid ${what}${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`,
    { fix: 'Fix what is named above; nothing was written.' },
  );
}
