import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CrdSchemaPack, StructuralSchema } from '../../imports/crd-schemas.js';
import { corpusPath } from './synth.js';

/** The CRD files each bundled or tested pack is made from, under ../shared/corpus/reference. */
export const PACK_SOURCES: Readonly<Record<string, { readonly source: string; readonly files: () => string[] }>> = {
  'istio-1.29': { source: "Istio 1.29's CRDs (crd-all.gen.yaml)", files: () => [corpusPath('reference/istio-1.29/crd-all.gen.yaml')] },
  'istio-master': { source: "Istio master's CRDs (crd-all.gen.yaml)", files: () => [corpusPath('reference/istio/manifests/charts/base/files/crd-all.gen.yaml')] },
  ...Object.fromEntries(
    ['v1.4.1', 'v1.5.1'].flatMap((tag) =>
      ['standard', 'experimental'].map((channel) => [
        `gateway-api-${tag}-${channel}`,
        {
          source: `Gateway API ${tag} CRDs, ${channel} channel`,
          files: () => {
            const dir = corpusPath(`reference/gateway-api/${tag}/${channel}`);
            return readdirSync(dir).filter((file) => file.endsWith('.yaml') && file.startsWith('gateway.networking')).sort().map((file) => join(dir, file));
          },
        },
      ]),
    ),
  ),
};

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

/** Builds a pack from CRD files: the structural schema of every served version whose schema states CEL rules. */
export function buildPack(name: string): CrdSchemaPack {
  const { source, files } = PACK_SOURCES[name]!;
  const kinds: Record<string, StructuralSchema> = {};
  for (const file of files()) {
    for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const crd = document.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string; served?: boolean; schema?: { openAPIV3Schema?: unknown } }[] } };
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      for (const version of crd.spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (version.served === false || !schema || !hasRules(schema)) continue;
        kinds[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = withoutDescriptions(schema) as StructuralSchema;
      }
    }
  }
  return { source, kinds };
}
