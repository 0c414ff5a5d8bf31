import type { TraceResult } from '../trace/index.js';

/** One line per hop, the deciding object as `Kind namespace/name` and field, then the outcome. */
export function traceAsText(result: TraceResult): string {
  const lines = result.hops.map((hop) => {
    const by = hop.decidedBy ? `  [${hop.decidedBy.origin}${hop.decidedBy.field ? ` ${hop.decidedBy.field}` : ''}]` : '';
    return `${hop.step.padEnd(18)} ${hop.chosen}: ${hop.reason}${by}`;
  });
  const outcome = result.outcome;
  lines.push(`${'outcome'.padEnd(18)} ${outcome.result}${outcome.flag ? ` (${outcome.flag})` : ''}: ${outcome.reason}`);
  for (const note of result.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

export function traceAsJson(result: TraceResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

const quote = (text: string) => text.replace(/"/g, '#quot;');

/** A flowchart of the hops, left to right, ending in the outcome. */
export function traceAsMermaid(result: TraceResult): string {
  const lines = ['flowchart LR'];
  result.hops.forEach((hop, index) => {
    lines.push(`  h${index}["${quote(`${hop.step}: ${hop.chosen}`)}"]`);
    if (index > 0) lines.push(`  h${index - 1} --> h${index}`);
  });
  const end = result.hops.length;
  lines.push(`  h${end}(["${quote(`${result.outcome.result}${result.outcome.flag ? ` ${result.outcome.flag}` : ''}`)}"])`);
  if (end > 0) lines.push(`  h${end - 1} --> h${end}`);
  return `${lines.join('\n')}\n`;
}
