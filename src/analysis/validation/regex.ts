import type { KubeObject } from '../../core/index.js';

/**
 * Problems of RE2 regular expressions in a VirtualService (Envoy uses RE2): syntax JavaScript
 * rejects after translating RE2-only forms, and constructs RE2 does not support.
 */
export function invalidRegexes(vs: KubeObject): { path: string; problem: string }[] {
  const found: { path: string; problem: string }[] = [];
  const check = (value: unknown, path: string) => {
    if (typeof value !== 'string') return;
    const problem = re2Problem(value);
    if (problem) found.push({ path, problem: `invalid regex ${JSON.stringify(value)}: ${problem}` });
  };
  (vs.spec?.http ?? []).forEach((route: any, r: number) => {
    (route?.match ?? []).forEach((match: any, m: number) => {
      const base = `spec.http[${r}].match[${m}]`;
      for (const field of ['uri', 'scheme', 'method', 'authority']) check(match?.[field]?.regex, `${base}.${field}.regex`);
      for (const group of ['headers', 'queryParams', 'withoutHeaders']) {
        for (const [key, value] of Object.entries(match?.[group] ?? {})) check((value as any)?.regex, `${base}.${group}.${key}.regex`);
      }
    });
    (route?.corsPolicy?.allowOrigins ?? []).forEach((origin: any, o: number) => check(origin?.regex, `spec.http[${r}].corsPolicy.allowOrigins[${o}].regex`));
  });
  return found;
}

/** Why `pattern` is not a valid RE2 expression, or undefined when it is. */
export function re2Problem(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern)) return 'lookaround is not supported by RE2';
  if (/\\[1-9]/.test(pattern)) return 'backreferences are not supported by RE2';
  const translated = pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?[imsU]+\)/g, '')
    .replace(/\(\?[imsU]*-?[imsU]*:/g, '(?:')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:\^?[a-z]+:\]/g, 'a');
  try {
    new RegExp(translated);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '');
  }
}
