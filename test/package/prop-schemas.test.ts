import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatePropSchemas, OUTPUT } from '../../tools/generate-prop-schemas.js';

describe('run-time prop checks', () => {
  // The schemas are generated from the props interfaces: a changed interface needs `npm run generate`.
  it('are generated from the current props interfaces', () => {
    expect(readFileSync(OUTPUT, 'utf8') === generatePropSchemas(), 'src/constructs/validation/prop-schemas.ts is stale: run npm run generate').toBe(true);
  }, 60_000);
});
