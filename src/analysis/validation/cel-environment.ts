/**
 * The CEL environment the API server gives `x-kubernetes-validations` rules, on @bufbuild/cel:
 * the standard library (with RE2 for `matches`), the strings extension, and the Kubernetes
 * libraries the CRDs use (URLs and IP addresses), with Go's parsing where cel-go uses Go's
 * (durations, integers, URLs), as Kubernetes has them.
 */
import { celEnv, celFunc, celMethod, CelScalar, mapType, objectType, parse, plan, type CelEnv, type CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { create } from '@bufbuild/protobuf';
import { DurationSchema } from '@bufbuild/protobuf/wkt';
import { goDurationNanos } from '../../core/index.js';
import { parseGoRequestUri } from './go-url.js';

// url() values are maps of their parts; the methods below read them as Kubernetes' URL type does.
const URL_TYPE = mapType(CelScalar.STRING, CelScalar.STRING);

function urlOf(text: string): Map<string, string> {
  const parsed = parseGoRequestUri(text);
  if ('error' in parsed) throw new Error(`URL parse error during conversion from string: parse ${JSON.stringify(text)}: ${parsed.error}`);
  return new Map([
    ['scheme', parsed.scheme],
    ['host', parsed.host],
    ['hostname', parsed.hostname],
    ['port', parsed.port],
  ]);
}

/**
 * netip.ParseAddr, as the Kubernetes ip library uses it for `isIP`: dotted IPv4 without leading
 * zeros, or IPv6; no zone, and no IPv4-mapped IPv6 address.
 */
export function isKubernetesIp(text: string): boolean {
  const v4 = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/;
  if (v4.test(text)) return text.split('.').every((part) => Number(part) <= 255);
  if (!text.includes(':') || text.includes('%') || !/^[0-9a-fA-F:.]+$/.test(text)) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://[${text}]/`).hostname;
  } catch {
    return false;
  }
  // Written with a dotted tail or normalized to one: an IPv4 address inside IPv6.
  if (/^\[::ffff:/i.test(hostname) || /::ffff:\d+\.\d+\.\d+\.\d+$/i.test(text)) return false;
  const tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  return tail === undefined || v4.test(tail);
}

const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(text, 10, 64), which cel-go's int(string) is: a sign, decimal digits, 64 bits. */
function goParseInt(text: string): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new Error(`cannot convert ${JSON.stringify(text)} to int: invalid syntax`);
  const value = BigInt(text);
  if (value > INT64_MAX || value < -INT64_MAX - 1n) throw new Error(`cannot convert ${JSON.stringify(text)} to int: value out of range`);
  return value;
}

/** Go's time.ParseDuration, which cel-go's duration(string) is: `""` and `1e3s` are errors. */
function goDuration(text: string) {
  const nanos = goDurationNanos(text);
  if (nanos === undefined) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  const total = BigInt(nanos);
  return create(DurationSchema, { seconds: total / 1_000_000_000n, nanos: Number(total % 1_000_000_000n) });
}

const KUBERNETES_LIBRARY = [
  celFunc('duration', [CelScalar.STRING], objectType(DurationSchema), (text) => goDuration(text)),
  celFunc('int', [CelScalar.STRING], CelScalar.INT, (text) => goParseInt(text)),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (text) => !('error' in parseGoRequestUri(text))),
  celFunc('url', [CelScalar.STRING], URL_TYPE, (text) => urlOf(text)),
  celMethod('getScheme', URL_TYPE, [], CelScalar.STRING, function () {
    return String(this.get('scheme') ?? '');
  }),
  celMethod('getHost', URL_TYPE, [], CelScalar.STRING, function () {
    return String(this.get('host') ?? '');
  }),
  celMethod('getHostname', URL_TYPE, [], CelScalar.STRING, function () {
    return String(this.get('hostname') ?? '');
  }),
  celMethod('getPort', URL_TYPE, [], CelScalar.STRING, function () {
    return String(this.get('port') ?? '');
  }),
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (text) => isKubernetesIp(text)),
];

let environment: CelEnv | undefined;

/** The one environment of the process. */
export function validationEnvironment(): CelEnv {
  environment ??= celEnv({ funcs: [...strings, ...KUBERNETES_LIBRARY], variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN } });
  return environment;
}

/** A compiled rule: evaluates with `self` bound, or says why it cannot be evaluated at all. */
export type CompiledRule = { readonly evaluate: (self: unknown) => CelResult } | { readonly error: string };

const compiled = new Map<string, CompiledRule>();

/** A function name as written in an expression; operators (`_==_`, `_[_]`, `@in`) are the planner's own. */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Compiles a rule once per process; every function it calls must be bound in the environment. */
export function compileRule(text: string): CompiledRule {
  let rule = compiled.get(text);
  if (!rule) {
    rule = compile(text);
    compiled.set(text, rule);
  }
  return rule;
}

function compile(text: string): CompiledRule {
  const env = validationEnvironment();
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(text);
  } catch (error) {
    return { error: `does not parse: ${(error as Error).message.split('\n')[0]}` };
  }
  const unbound = [...callNames(parsed.expr)].filter((name) => FUNCTION_NAME.test(name) && env.funcs.find(name) === undefined);
  if (unbound.length > 0) return { error: `calls ${unbound.join(', ')}, which this environment does not have` };
  const run = plan(env, parsed);
  return { evaluate: (self) => run({ self: self as never, oldSelf: null }) };
}

/** The names of the functions an expression calls. */
function callNames(expr: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(expr)) {
    for (const item of expr) callNames(item, names);
    return names;
  }
  if (expr === null || typeof expr !== 'object') return names;
  const node = expr as { exprKind?: { case?: string; value?: { function?: string } } };
  if (node.exprKind?.case === 'callExpr' && typeof node.exprKind.value?.function === 'string') names.add(node.exprKind.value.function);
  for (const value of Object.values(expr)) if (value !== null && typeof value === 'object') callNames(value, names);
  return names;
}
