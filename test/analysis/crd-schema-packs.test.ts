import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_PACKS, packFile } from '../../imports/crd-schemas.js';
import { buildPack } from '../support/crd-schema-packs.js';
import { CORPUS } from '../support/synth.js';

describe.skipIf(!CORPUS)('bundled CRD schemas', () => {
  it.each(BUNDLED_PACKS)('%s holds exactly the schemas of its CRDs (UPDATE_CRD_PACKS=1 rewrites it)', (name) => {
    const expected = `${JSON.stringify(buildPack(name))}\n`;
    if (process.env['UPDATE_CRD_PACKS'] === '1') writeFileSync(packFile(name), expected);
    expect(readFileSync(packFile(name), 'utf8') === expected, `${packFile(name)} differs from its CRDs: run UPDATE_CRD_PACKS=1 npx vitest run test/analysis/crd-schema-packs.test.ts`).toBe(true);
  });
});
