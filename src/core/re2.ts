/**
 * Regular expressions as Envoy reads them: RE2 syntax and semantics (@bufbuild/re2, a port of
 * RE2/J), not JavaScript's. Istio's `regex` matches are full matches.
 */
import { RE2JS } from '@bufbuild/re2';

const compiled = new Map<string, RE2JS | string>();

function compile(pattern: string): RE2JS | string {
  let entry = compiled.get(pattern);
  if (entry === undefined) {
    try {
      entry = RE2JS.compile(pattern);
    } catch (error) {
      entry = (error as Error).message || 'invalid regular expression';
    }
    compiled.set(pattern, entry);
  }
  return entry;
}

/** Why `pattern` is not a valid RE2 expression, or undefined when it is. */
export function re2Problem(pattern: string): string | undefined {
  const entry = compile(pattern);
  return typeof entry === 'string' ? entry : undefined;
}

/** True when `pattern` (valid RE2) matches the whole of `input`, as Envoy's safe_regex matches do. */
export function re2FullMatch(pattern: string, input: string): boolean {
  const entry = compile(pattern);
  if (typeof entry === 'string') throw new Error(`invalid RE2 expression ${JSON.stringify(pattern)}: ${entry}`);
  return entry.testExact(input);
}
