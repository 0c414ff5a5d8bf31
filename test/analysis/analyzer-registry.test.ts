import { describe, expect, it } from 'vitest';
import { ANALYZERS } from '../../src/analysis/analyzers/all.js';
import { ANALYZER_NAMES } from '../../src/analysis/index.js';
import { MESSAGES } from '../../src/analysis/messages.js';

const messageCodes = new Set(Object.values(MESSAGES).map((message) => message.code));

describe('analyzer registry', () => {
  it('declares only codes that the message table has', () => {
    const unknown = ANALYZERS.flatMap((analyzer) => analyzer.codes.filter((code) => !messageCodes.has(code)).map((code) => `${analyzer.name}: ${code}`));
    expect(unknown).toEqual([]);
  });

  it('has an analyzer for every message code', () => {
    const declared = new Set(ANALYZERS.flatMap((analyzer) => analyzer.codes));
    expect([...messageCodes].filter((code) => !declared.has(code))).toEqual([]);
  });

  it('names each analyzer once, as Istio does (package.Name) or meshform.Name', () => {
    const names = ANALYZERS.map((analyzer) => analyzer.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+\.[A-Z][A-Za-z0-9]+$/);
    expect([...names].sort()).toEqual(ANALYZER_NAMES);
  });
});
