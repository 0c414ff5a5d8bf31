/**
 * The structural schemas of the CRDs whose `x-kubernetes-validations` (CEL) rules meshform
 * evaluates: derived from the upstream CRDs (Apache-2.0) without their documentation text, kept as
 * data in `imports/crd-schemas/`, and checked against those CRDs by the test suite.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One rule of a schema node, as the CRD states it. */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  readonly optionalOldSelf?: boolean;
}

/** The parts of an OpenAPI v3 structural schema that validation reads. */
export interface StructuralSchema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly format?: string;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, StructuralSchema>>;
  readonly additionalProperties?: StructuralSchema | boolean;
  readonly items?: StructuralSchema;
  readonly required?: readonly string[];
  readonly nullable?: boolean;
  readonly enum?: readonly unknown[];
  readonly oneOf?: readonly StructuralSchema[];
  readonly anyOf?: readonly StructuralSchema[];
  readonly allOf?: readonly StructuralSchema[];
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-validations'?: readonly CelRule[];
}

/** The CRD schemas of one release: by `group/version/Kind`. */
export interface CrdSchemaPack {
  /** Which CRDs the pack was derived from. */
  readonly source: string;
  readonly kinds: Readonly<Record<string, StructuralSchema>>;
}

/** The packs shipped with meshform: the CRDs of the releases its output targets. */
export const BUNDLED_PACKS = ['istio-1.29', 'gateway-api-v1.4.1-standard'] as const;

export type BundledPack = (typeof BUNDLED_PACKS)[number];

/** The folder of the packs: `imports/crd-schemas`, from the sources (`imports/`) and the build (`lib/imports/`) alike. */
export function packFile(name: string): string {
  const root = new URL(import.meta.url.endsWith('.ts') ? '..' : '../..', import.meta.url);
  return fileURLToPath(new URL(`imports/crd-schemas/${name}.json`, root));
}

const loaded = new Map<string, CrdSchemaPack>();

/** A bundled pack, read once per process. */
export function bundledPack(name: BundledPack): CrdSchemaPack {
  let pack = loaded.get(name);
  if (!pack) loaded.set(name, (pack = JSON.parse(readFileSync(packFile(name), 'utf8')) as CrdSchemaPack));
  return pack;
}

function hasRules(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasRules);
  if (node === null || typeof node !== 'object') return false;
  return Object.entries(node).some(([key, value]) => key === 'x-kubernetes-validations' || hasRules(value));
}

/** The schema without its documentation text, which is upstream prose, not a rule. */
function withoutDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([key]) => key !== 'description').map(([key, value]) => [key, withoutDescriptions(value)]));
}

interface CrdShape {
  readonly kind?: unknown;
  readonly spec?: { readonly group?: string; readonly names?: { readonly kind?: string }; readonly versions?: readonly { readonly name: string; readonly served?: boolean; readonly schema?: { readonly openAPIV3Schema?: unknown } }[] };
}

/**
 * A pack from CustomResourceDefinitions (any objects; others are left out): the structural schema
 * of every served version whose schema states CEL rules.
 */
export function packFromCrds(objects: readonly unknown[], source: string): CrdSchemaPack {
  const kinds: Record<string, StructuralSchema> = {};
  for (const object of objects as readonly CrdShape[]) {
    if (object?.kind !== 'CustomResourceDefinition' || !object.spec?.group || !object.spec.names?.kind) continue;
    for (const version of object.spec.versions ?? []) {
      const schema = version?.schema?.openAPIV3Schema;
      if (version.served === false || !schema || !hasRules(schema)) continue;
      kinds[`${object.spec.group}/${version.name}/${object.spec.names.kind}`] = withoutDescriptions(schema) as StructuralSchema;
    }
  }
  return { source, kinds };
}
