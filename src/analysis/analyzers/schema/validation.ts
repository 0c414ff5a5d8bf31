// Follows Istio's pkg/config/analysis/analyzers/schema/validation.go.
import type { SchemaIssue } from '../../../../imports/schemas.js';
import type { KubeObject } from '../../../core/index.js';
import type { AnalysisContext, Analyzer } from '../../context.js';
import { KINDS } from '../../resources/resource-index.js';
import { routeLabel } from '../../resources/virtual-service.js';
import { cachedSchemaIssues, isWellTyped } from '../../validation/well-typed.js';
import { invalidRegexes } from '../../validation/virtual-service-regexes.js';
import { celRuleViolations } from '../../validation/cel-rules.js';
import { validationWarnings } from '../../validation/validation-warnings.js';

/** The kinds of Istio's CRDs; validation.go makes one analyzer of each (collections.Istio). */
const ISTIO_KINDS: readonly (readonly [group: string, kind: string])[] = [
  ['security.istio.io', 'AuthorizationPolicy'],
  ['networking.istio.io', 'DestinationRule'],
  ['networking.istio.io', 'EnvoyFilter'],
  ['networking.istio.io', 'Gateway'],
  ['security.istio.io', 'PeerAuthentication'],
  ['networking.istio.io', 'ProxyConfig'],
  ['security.istio.io', 'RequestAuthentication'],
  ['networking.istio.io', 'ServiceEntry'],
  ['networking.istio.io', 'Sidecar'],
  ['telemetry.istio.io', 'Telemetry'],
  ['extensions.istio.io', 'TrafficExtension'],
  ['networking.istio.io', 'VirtualService'],
  ['extensions.istio.io', 'WasmPlugin'],
  ['networking.istio.io', 'WorkloadEntry'],
  ['networking.istio.io', 'WorkloadGroup'],
];

/**
 * What Istio's validation reports of one kind: objects that break its upstream schema or the rules
 * its CRD states in CEL, or hold an invalid regular expression (IST0106), the warnings of Istio's
 * validation (IST0133), and VirtualService rules or matches that can never be used (IST0130, IST0131).
 */
function kindValidationAnalyzer(group: string, kind: string): Analyzer {
  const key = `${group}/${kind}`;
  return {
    name: `schema.ValidationAnalyzer.${kind}`,
    typeName: 'schema.ValidationAnalyzer',
    codes: kind === 'VirtualService' ? ['IST0106', 'IST0130', 'IST0131', 'IST0133'] : ['IST0106', 'IST0133'],
    goFile: 'schema/validation.go',
    analyze(context) {
      // Every input object of the kind, also those left out of the index for a field of the wrong type.
      for (const object of context.allOfKind(key)) {
        reportSchemaIssues(context, object, () => true);
        if (!isWellTyped(object)) continue;
        for (const { path, message } of celRuleViolations(object, context.crds)) context.report('SchemaValidationError', object, [`${path}: ${message}`], path);
        for (const { path, message } of validationWarnings(object)) context.report('SchemaWarning', object, [message], path);
        if (key !== KINDS.VirtualService) continue;
        for (const { path, problem } of invalidRegexes(object)) context.report('SchemaValidationError', object, [`${path}: ${problem}`], path);
        unreachableHttpRules(context, object);
        unreachableRules(context, object, 'tcp');
        unreachableRules(context, object, 'tls');
      }
    },
  };
}

/** One analyzer per Istio kind, each named as Istio names it and all selected by `schema.ValidationAnalyzer`. */
export const schemaValidationAnalyzers: readonly Analyzer[] = ISTIO_KINDS.map(([group, kind]) => kindValidationAnalyzer(group, kind));

/** `<group>/<Kind>` of the kinds Istio's validation covers. */
export const ISTIO_VALIDATED_KINDS: ReadonlySet<string> = new Set(ISTIO_KINDS.map(([group, kind]) => `${group}/${kind}`));

/** The schema issues of `object` that `keep` keeps, as IST0106 at their field. */
export function reportSchemaIssues(context: AnalysisContext, object: KubeObject, keep: (issue: SchemaIssue) => boolean): void {
  for (const issue of (cachedSchemaIssues(object) ?? []).filter(keep)) {
    const field = issue.path.replace(/^\//, '').replace(/\//g, '.');
    context.report('SchemaValidationError', object, [`${field || object.kind} ${issue.message}`], field || undefined);
  }
}

/** JSON of a match with its `name` left out, keys sorted: equal strings mean equal matches. */
function matchKey(match: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .filter((key) => key !== 'name')
          .sort()
          .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  return JSON.stringify(canonical(match ?? {}));
}

function unreachableRules(context: AnalysisContext, vs: KubeObject, kind: 'tcp' | 'tls'): void {
  const routes: any[] = vs.spec?.[kind] ?? [];
  const seen = new Map<string, number>();
  routes.forEach((route, index) => {
    const label = `${kind} route ${index}`;
    const matches: any[] = route?.match ?? [];
    if (matches.length === 0) {
      if (index !== routes.length - 1) context.report('VirtualServiceUnreachableRule', vs, [label, 'only the last rule can have no matches'], `spec.${kind}[${index}]`);
      return;
    }
    let duplicates = 0;
    matches.forEach((match, m) => {
      const key = matchKey(match);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        context.report('VirtualServiceIneffectiveMatch', vs, [label, m, `${kind} route ${earlier}`], `spec.${kind}[${index}].match[${m}]`);
        duplicates++;
      } else {
        seen.set(key, index);
      }
    });
    if (duplicates === matches.length) {
      context.report('VirtualServiceUnreachableRule', vs, [label, 'all matches used by prior rules'], `spec.${kind}[${index}]`);
    }
  });
}

interface PrefixMatch {
  readonly rule: string;
  readonly match: string;
  readonly path: string;
  readonly prefix: string;
  readonly conditions: Record<string, string>;
}

/** The conditions of a match other than its URI, each as JSON; unset ones are absent. */
function conditionsOf(match: any): Record<string, string> {
  const conditions: Record<string, string> = {};
  for (const field of ['port', 'method', 'authority', 'headers', 'queryParams', 'withoutHeaders', 'scheme', 'sourceLabels', 'gateways', 'sourceNamespace']) {
    if (match?.[field] !== undefined) conditions[field] = matchKey(match[field]);
  }
  return conditions;
}

function unreachableHttpRules(context: AnalysisContext, vs: KubeObject): void {
  const routes: any[] = vs.spec?.http ?? [];
  const seen = new Map<string, string>();
  const prefixes: PrefixMatch[] = [];
  routes.forEach((route, index) => {
    const rule = routeLabel(route, index);
    const matches: any[] = route?.match ?? [];
    if (matches.length === 0) {
      if (index !== routes.length - 1) context.report('VirtualServiceUnreachableRule', vs, [rule, 'only the last rule can have no matches'], `spec.http[${index}]`);
      return;
    }
    let duplicates = 0;
    matches.forEach((match, m) => {
      const key = matchKey(match);
      const label = match?.name ? JSON.stringify(match.name) : `#${m}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        context.report('VirtualServiceIneffectiveMatch', vs, [rule, label, earlier], `spec.http[${index}].match[${m}]`);
        duplicates++;
      }
      seen.set(key, rule);
      if (typeof match?.uri?.prefix === 'string') {
        prefixes.push({ rule, match: label, path: `spec.http[${index}].match[${m}]`, prefix: match.uri.prefix, conditions: conditionsOf(match) });
      }
    });
    if (duplicates === matches.length) {
      context.report('VirtualServiceUnreachableRule', vs, [rule, 'all matches used by prior rules'], `spec.http[${index}]`);
    }
  });
  // A prefix match shadows a later, longer prefix whose other conditions it does not narrow.
  prefixes.forEach((earlier, i) => {
    for (const later of prefixes.slice(i + 1)) {
      if (later.prefix === earlier.prefix || !later.prefix.startsWith(earlier.prefix)) continue;
      const covers = Object.entries(earlier.conditions).every(([field, value]) => later.conditions[field] === value);
      if (covers) context.report('VirtualServiceIneffectiveMatch', vs, [later.rule, later.match, earlier.rule], later.path);
    }
  });
}
