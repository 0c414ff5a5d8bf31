import type { Diagnostic } from '../analysis/index.js';

/**
 * istioctl's JSON form, an array of `{ code, level, origin, message }`, with meshform's `path`
 * (the field, where known) and `fix` added to each finding that has them.
 */
export function diagnosticsAsJson(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify(
    diagnostics.map(({ code, level, origin, message, path, fix }) => ({ code, level, origin, message, ...(path ? { path } : {}), ...(fix ? { fix } : {}) })),
    null,
    2,
  )}\n`;
}

/** Findings grouped by the object they are about, each with where in the object and how to fix it. */
export function diagnosticsAsText(diagnostics: readonly Diagnostic[], objectCount: number): string {
  if (diagnostics.length === 0) return `✔ No validation issues found when analyzing ${objectCount} objects.\n`;
  const byOrigin = new Map<string, Diagnostic[]>();
  for (const diagnostic of diagnostics) byOrigin.set(diagnostic.origin, [...(byOrigin.get(diagnostic.origin) ?? []), diagnostic]);
  const lines: string[] = [];
  for (const [origin, list] of byOrigin) {
    lines.push(origin);
    for (const d of list) {
      lines.push(`  ${d.level} [${d.code}]${d.path ? ` ${d.path}:` : ''} ${d.message}`);
      if (d.fix) lines.push(`    fix: ${d.fix}`);
    }
  }
  const counts = ['Error', 'Warning', 'Info']
    .map((level) => [level, diagnostics.filter((d) => d.level === level).length] as const)
    .filter(([, count]) => count > 0)
    .map(([level, count]) => `${count} ${level}${count === 1 ? '' : 's'}`);
  lines.push('', `${counts.join(', ')} in ${byOrigin.size} of ${objectCount} objects.`);
  return `${lines.join('\n')}\n`;
}
