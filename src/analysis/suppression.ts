import { MeshformError, type KubeObject, originOf } from '../core/index.js';
import type { Diagnostic } from './diagnostic.js';

/** The annotation with which a resource silences findings about itself (Istio's). */
export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

/**
 * The metadata annotations that silence `codes` on an object meshform writes, for findings the
 * manifests cannot settle (pods or Secrets that exist only in the cluster).
 */
export function suppressedFindings(...codes: readonly string[]): { annotations: Record<string, string> } {
  return { annotations: { [SUPPRESS_ANNOTATION]: codes.join(',') } };
}

/** One `CODE=Kind namespace/name` rule (or `CODE=*` for every object); `*` matches any run of characters. */
interface SuppressionRule {
  readonly code: RegExp;
  readonly origin: RegExp;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
}

/**
 * Parses `--suppress` rules: `CODE=Kind namespace/name` (meshform's origin form) or istioctl's
 * `CODE=Kind name.namespace`, with `*` as a wildcard in either part.
 */
export function parseSuppressions(rules: readonly string[]): SuppressionRule[] {
  return rules.map((rule) => {
    const everywhere = /^\s*([^=\s]+)\s*=\s*\*\s*$/.exec(rule);
    if (everywhere) return { code: wildcard(everywhere[1]!), origin: /^/ };
    const match = /^\s*([^=\s]+)\s*=\s*(\S+)\s+(\S+)\s*$/.exec(rule);
    if (!match) {
      throw new MeshformError(`suppression "${rule}" is not CODE=Kind namespace/name`, {
        field: 'suppress',
        fix: 'Write it like "IST0102=Namespace default", "IST0101=Gateway shop/*" or "MF0001=*".',
      });
    }
    const [, code, kind, resource] = match as unknown as [string, string, string, string];
    // istioctl writes name.namespace; meshform prints namespace/name. Accept both.
    const istioctlForm = !resource.includes('/') && resource.includes('.') ? resource.split('.') : undefined;
    const target = istioctlForm && istioctlForm.length === 2 ? `${istioctlForm[1]}/${istioctlForm[0]}` : resource;
    return { code: wildcard(code), origin: wildcard(`${kind} ${target}`) };
  });
}

/** Drops the findings that a rule or the resource's own annotation suppresses. */
export function withoutSuppressed(diagnostics: readonly Diagnostic[], objects: readonly KubeObject[], rules: readonly SuppressionRule[]): Diagnostic[] {
  const annotated = new Map<string, string[]>();
  for (const object of objects) {
    const value = object.metadata?.annotations?.[SUPPRESS_ANNOTATION];
    if (typeof value === 'string') annotated.set(originOf(object), value.split(',').map((code) => code.trim()));
  }
  return diagnostics.filter((diagnostic) => {
    const codes = annotated.get(diagnostic.origin);
    if (codes && (codes.includes('*') || codes.includes(diagnostic.code))) return false;
    return !rules.some((rule) => rule.code.test(diagnostic.code) && rule.origin.test(diagnostic.origin));
  });
}
