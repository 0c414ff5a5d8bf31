import { re2Problem, type KubeObject } from '../../core/index.js';

/** The regular expressions of a VirtualService that RE2, Envoy's engine, refuses, with its reason. */
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
