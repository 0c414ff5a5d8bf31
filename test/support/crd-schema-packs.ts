import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { packFromCrds, type CrdSchemaPack } from '../../imports/crd-schemas.js';
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

/** Builds a pack from the CRD files of its source, as the bundled packs are made. */
export function buildPack(name: string): CrdSchemaPack {
  const { source, files } = PACK_SOURCES[name]!;
  return packFromCrds(
    files().flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS())),
    source,
  );
}
