import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, corpusPath } from '../support/synth.js';
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
    // Istio's schema analyzers are one per kind: schema.ValidationAnalyzer.VirtualService.
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9]+\.[A-Z][A-Za-z0-9]+(\.[A-Z][A-Za-z0-9]+)?$/);
    expect([...names].sort()).toEqual(ANALYZER_NAMES);
  });

  it.skipIf(!CORPUS)('names each analyzer that follows a Go file after the analyzer that file defines, with its codes', () => {
    // Names and codes per Go file, derived from Istio's source at the corpus's commit.
    const istio = new Map(derivedAnalyzers().map((entry) => [entry.goFile, entry]));
    const root = resolve(import.meta.dirname, '../../src/analysis/analyzers');
    const mismatched = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.startsWith('meshform') && file !== 'all.ts')
      .flatMap((file) => {
        const source = readFileSync(join(root, file), 'utf8');
        const goFile = /^\/\/ Follows Istio's pkg\/config\/analysis\/analyzers\/(\S+\.go)/m.exec(source)?.[1];
        if (!goFile) return [`${file}: no header naming the Go file it follows`];
        const declared = [...source.matchAll(/^\s+goFile: '([^']+)'/gm)].map((match) => match[1]!);
        if (declared.length === 0 || declared.some((path) => path !== goFile)) return [`${file}: goFile ${declared.join(', ')} is not its header's ${goFile}`];
        const go = istio.get(goFile);
        if (!go) return [`${file}: ${goFile} is not an analyzer file of Istio`];
        const ours = ANALYZERS.filter((analyzer) => analyzer.goFile === goFile);
        // A Go name ending in a dot is a prefix: "schema.ValidationAnalyzer." + the kind.
        const matches = (name: string, goName: string) => (goName.endsWith('.') ? name.startsWith(goName) && !name.slice(goName.length).includes('.') : name === goName);
        const misnamed = ours.filter((analyzer) => !go.names.some((goName) => matches(analyzer.name, goName))).map((analyzer) => `${file}: ${analyzer.name} (Go: ${go.names.join(', ')})`);
        const codes = [...new Set(ours.flatMap((analyzer) => analyzer.codes))].sort();
        const miscoded = codes.join() === [...go.codes].sort().join() ? [] : [`${file}: codes ${codes.join(', ')} (Go: ${go.codes.join(', ')})`];
        return [...misnamed, ...miscoded];
      });
    expect(mismatched).toEqual([]);
  });
});

interface DerivedAnalyzer {
  readonly goFile: string;
  readonly names: readonly string[];
  readonly codes: readonly string[];
  readonly inputs: readonly string[];
}

/** `reference/derived/analyzers.json`: each Go analyzer file's Metadata names, codes and inputs. */
function derivedAnalyzers(): DerivedAnalyzer[] {
  const derived = JSON.parse(readFileSync(corpusPath('reference/derived/analyzers.json'), 'utf8')) as { analyzers: DerivedAnalyzer[] };
  return derived.analyzers;
}
