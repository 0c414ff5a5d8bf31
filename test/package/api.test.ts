import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Shapes of data meshform reads or returns (manifests, findings), rather than props a user sets. */
const DATA_SHAPES = new Set(['AnalyzerInfo', 'Diagnostic', 'MeshFinding', 'MeshformProblem', 'ErrorLocation', 'GraphEdge', 'GraphNode', 'KubeObject', 'MeshConfig', 'ProxyConfig', 'RoutingGraph', 'SchemaIssue']);

/** Optional properties of the public interfaces (props and options) that do not document their default. */
function undocumentedDefaults(): string[] {
  const program = ts.createProgram([join(ROOT, 'src/index.ts')], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, 'src/index.ts'))!)!;
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(entry)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    // Istio's own spec types (L1) document themselves upstream.
    if (!declaration || !ts.isInterfaceDeclaration(declaration) || declaration.getSourceFile().fileName.includes('/imports/') || DATA_SHAPES.has(symbol.name)) continue;
    for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      if (!(property.flags & ts.SymbolFlags.Optional)) continue;
      if (!property.getJsDocTags(checker).some((tag) => tag.name === 'default')) missing.push(`${symbol.name}.${property.name}`);
    }
  }
  return missing.sort();
}

it('documents the default of every optional prop of the public API', () => {
  expect(undocumentedDefaults()).toEqual([]);
});

it('keeps api/meshform.api.md, the report of the public API, current', () => {
  // `npm test` builds lib/ first; api-extractor compares the declarations with the committed report.
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/@microsoft/api-extractor/bin/api-extractor'), 'run'], { cwd: ROOT, encoding: 'utf8' });
  expect(run.status, `${run.stdout}\n${run.stderr}\nRun "npm run api" and review the change to api/meshform.api.md.`).toBe(0);
  expect(readFileSync(join(ROOT, 'api/meshform.api.md'), 'utf8')).toMatch(/export class CanaryService/);
});
