import { ApiObject, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { schemaIssues } from '../../imports/schemas.js';
import { MeshformError } from '../core/index.js';

const validated = new WeakSet<Chart>();

/**
 * Makes the chart that holds `scope` check its objects when the app is synthesized, before
 * anything is written: every object against its upstream schema. A failure is one MeshformError
 * that lists each object by construct path.
 */
export function enableMeshValidation(scope: IConstruct): void {
  const chart = Chart.of(scope);
  if (validated.has(chart)) return;
  validated.add(chart);
  chart.node.addValidation({
    validate: () => {
      const problems = chartProblems(chart);
      if (problems.length > 0) {
        throw new MeshformError(
          `chart ${chart.node.id} has ${problems.length} invalid object${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`,
          { fix: 'Fix the fields named above; nothing was written.' },
        );
      }
      return [];
    },
  });
}

function chartProblems(chart: Chart): string[] {
  const problems: string[] = [];
  for (const object of chart.node.findAll().filter(ApiObject.isApiObject)) {
    if (Chart.of(object) !== chart) continue;
    const manifest = object.toJson();
    for (const issue of schemaIssues(manifest) ?? []) {
      problems.push(`[${object.node.path}] ${manifest.kind} ${manifest.metadata?.name}: ${issue.path || '/'} ${issue.message}`);
    }
  }
  return problems;
}
