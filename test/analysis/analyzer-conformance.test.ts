import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/index.js';
import { parseManifests, parseMeshConfig } from '../../src/core/index.js';
import { CORPUS, corpusPath } from '../support/synth.js';

interface Case {
  name: string;
  inputFiles: string[];
  analyzer: string;
  meshConfigFile?: string;
  codes: string[];
  expected: { code: string; level: string; origin: string }[];
}

/**
 * Cases that fail, with the reason. Empty means every shared case passes; anything listed here
 * is a known gap to close, not a case to silence.
 */
const KNOWN_FAILURES: Readonly<Record<string, string>> = {};

const read = (file: string) => readFileSync(corpusPath('analyzer', file), 'utf8');

function runCase(c: Case): { missing: string[]; unexpected: string[] } {
  const objects = c.inputFiles.flatMap((file) => parseManifests(read(file), file));
  const defaults = parseManifests(read('analyzer-default-resources.yaml'));
  const meshConfig = c.meshConfigFile ? parseMeshConfig(read(c.meshConfigFile)) : undefined;
  const diagnostics = analyze(objects, { analyzers: [c.analyzer], defaultResources: defaults, meshConfig }).filter((d) =>
    c.codes.includes(d.code),
  );
  const actual = diagnostics.map((d) => `${d.code} ${d.origin}`);
  const expected = c.expected.map((e) => `${e.code} ${e.origin}`);
  const remaining = [...actual];
  const missing: string[] = [];
  for (const entry of expected) {
    const at = remaining.indexOf(entry);
    if (at < 0) missing.push(entry);
    else remaining.splice(at, 1);
  }
  return { missing, unexpected: remaining };
}

describe.skipIf(!CORPUS)("analyzer conformance on Istio's own cases (../shared/corpus/analyzer)", () => {
  const cases: Case[] = CORPUS ? JSON.parse(read('cases.json')) : [];

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = runCase(c);
    if (KNOWN_FAILURES[c.name]) {
      expect(result, `listed as a known failure: ${KNOWN_FAILURES[c.name]}`).not.toEqual({ missing: [], unexpected: [] });
    } else {
      expect(result).toEqual({ missing: [], unexpected: [] });
    }
  });

  it('passes at least 95% of the shared cases', () => {
    const passed = cases.filter((c) => {
      const { missing, unexpected } = runCase(c);
      return missing.length === 0 && unexpected.length === 0;
    }).length;
    console.log(`analyzer conformance: ${passed}/${cases.length} cases pass`);
    expect(passed / cases.length).toBeGreaterThanOrEqual(0.95);
  });
});
