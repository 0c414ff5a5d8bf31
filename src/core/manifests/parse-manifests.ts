import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { parse, parseAllDocuments } from 'yaml';
import { MeshformError } from '../errors.js';
import type { KubeObject } from './kube-object.js';

/** How many alias expansions one document may make: far above real manifests, far below a bomb. */
const MAX_ALIAS_EXPANSIONS = 1000;

/**
 * What the fast path leaves to `yaml`: a `!` where a node can start (possibly a tag), and a `&`
 * or `*` there (possibly an anchor or alias, which js-yaml would share rather than copy, and
 * whose expansion `yaml` bounds). A false alarm only costs speed.
 */
const NOT_PLAIN = /(?:^|[\s,[{])[!&*]/;

// The scalars of YAML 1.2's core schema (spec 10.3.2), as `yaml` resolves them: js-yaml's own
// schemas also read `0b101`, `1_000` and `-0x1F` as numbers.
const yamlCoreScalar = (tag: string, pattern: RegExp, construct: (text: string) => unknown) =>
  new Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (text: string | null) => pattern.test(text ?? ''), construct: (text: string | null) => construct(text ?? '') });
const CORE_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    yamlCoreScalar('null', /^(?:~|null|Null|NULL)?$/, () => null),
    yamlCoreScalar('bool', /^(?:true|True|TRUE|false|False|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
    yamlCoreScalar('int', /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (text) =>
      text.startsWith('0o') ? parseInt(text.slice(2), 8) : text.startsWith('0x') ? parseInt(text.slice(2), 16) : Number(text),
    ),
    yamlCoreScalar('float', /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/, (text) =>
      /inf$/i.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : /nan$/i.test(text) ? NaN : Number(text),
    ),
  ],
});

/**
 * Parses multi-document YAML (or JSON) into its documents as written (a List stays a List; empty
 * documents and scalars are dropped). Throws a MeshformError that names the source and the line
 * when the text is not YAML, holds a duplicate key (as kubectl refuses it), or expands aliases
 * without bound.
 */
export function parseDocuments(text: string, source = 'input', options: ParseOptions = {}): KubeObject[] {
  return (fastParse(text) ?? exactParse(text, source, options.repeatedKeys === 'last')).filter(isObject) as KubeObject[];
}

/** How YAML is read beyond the spec. */
export interface ParseOptions {
  /**
   * A key repeated in one map: refused, as kubectl refuses it, or the last one kept, as Istio's
   * own config reader (sigs.k8s.io/yaml) keeps it.
   * @default 'refuse'
   */
  readonly repeatedKeys?: 'refuse' | 'last';
}

/**
 * js-yaml reads plain YAML many times faster than `yaml`. It is used only where the two read the
 * same text alike: the YAML 1.2 core schema above, no aliases, no duplicate keys (js-yaml refuses
 * them), no explicit tags (`!!float 1` is a number to one, a string to the other). Whatever it
 * refuses goes to exactParse, for the line-numbered error.
 */
function fastParse(text: string): unknown[] | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
  try {
    return loadAll(text, undefined, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
}

function exactParse(text: string, source: string, lastKeyWins = false): unknown[] {
  const values: unknown[] = [];
  for (const document of parseAllDocuments(text, { uniqueKeys: !lastKeyWins })) {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      const duplicate = error.code === 'DUPLICATE_KEY';
      throw new MeshformError(`${source}${line ? `:${line}` : ''} is not valid YAML: ${error.message.split('\n')[0]}`, {
        fix: duplicate ? 'Remove one of the two keys: Kubernetes refuses a map that names a field twice.' : 'Fix the YAML syntax at that line.',
      });
    }
    try {
      values.push(document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }));
    } catch (error) {
      // `yaml` stops an alias bomb (a billion laughs) with a ReferenceError of its own.
      throw new MeshformError(`${source} is not usable YAML: ${(error as Error).message}`, {
        fix: `Write the repeated parts out, or use fewer aliases (at most ${MAX_ALIAS_EXPANSIONS} expansions per document).`,
      });
    }
  }
  return values;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Expands `kind: List` (and `*List`) objects into their items, recursively. */
export function flattenLists(objects: readonly unknown[]): KubeObject[] {
  const result: KubeObject[] = [];
  const visit = (list: readonly unknown[]) => {
    for (const object of list) {
      if (!isObject(object)) continue;
      const candidate = object as KubeObject & { items?: unknown };
      if (typeof candidate.kind === 'string' && candidate.kind.endsWith('List') && Array.isArray(candidate.items)) visit(candidate.items);
      // One push per object: a spread of a very large List would overflow the call stack.
      else result.push(candidate);
    }
  };
  visit(objects);
  return result;
}

/** Parses multi-document YAML into Kubernetes objects (those with a `kind`), expanding Lists. */
export function parseManifests(text: string, source = 'input', options: ParseOptions = {}): KubeObject[] {
  return flattenLists(parseDocuments(text, source, options)).filter((object) => typeof object.kind === 'string');
}

/**
 * Parses a YAML file that holds one map (a mesh config, Helm values): empty text is `{}`, text
 * that is not YAML or not a map is a MeshformError naming the source and what was expected.
 */
export function parseYamlMap(text: string, source: string, expected: { readonly what: string; readonly example: string }): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new MeshformError(`${source} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { fix: 'Fix the YAML syntax.' });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MeshformError(`${source} is not ${expected.what}`, { fix: `Give a YAML map such as "${expected.example}".` });
  }
  return value as Record<string, unknown>;
}
