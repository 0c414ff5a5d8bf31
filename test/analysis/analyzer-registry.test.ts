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

  it.skipIf(!CORPUS)('names each analyzer that follows a Go file after the analyzer that file defines', () => {
    const root = resolve(import.meta.dirname, '../../src/analysis/analyzers');
    const mismatched = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.startsWith('meshform') && file !== 'all.ts')
      .flatMap((file) => {
        const source = readFileSync(join(root, file), 'utf8');
        const goFile = /^\/\/ Follows Istio's (pkg\/config\/analysis\/analyzers\/\S+\.go)/m.exec(source)?.[1];
        if (!goFile) return [`${file}: no header naming the Go file it follows`];
        const declared = [...source.matchAll(/^\s+goFile: '([^']+)'/gm)].map((match) => `pkg/config/analysis/analyzers/${match[1]}`);
        if (declared.length === 0 || declared.some((path) => path !== goFile)) return [`${file}: goFile ${declared.join(', ')} is not its header's ${goFile}`];
        const goNames = [...readFileSync(corpusPath('reference/istio', goFile), 'utf8').matchAll(/Name:\s+"([^"]+)"/g)].map((match) => match[1]!);
        const ours = ANALYZERS.filter((analyzer) => `pkg/config/analysis/analyzers/${analyzer.goFile}` === goFile).map((analyzer) => analyzer.name);
        // A Go name ending in a dot is a prefix: "schema.ValidationAnalyzer." + the kind.
        const matches = (name: string, goName: string) => (goName.endsWith('.') ? name.startsWith(goName) && !name.slice(goName.length).includes('.') : name === goName);
        return ours.filter((name) => !goNames.some((goName) => matches(name, goName))).map((name) => `${file}: ${name} (Go: ${goNames.join(', ')})`);
      });
    expect(mismatched).toEqual([]);
  });
});
