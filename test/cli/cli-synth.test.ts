import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempFiles } from '../support/cli.js';

/** An app command that writes `files` into the folder cdk8s names (CDK8S_OUTDIR), then exits with `code`. */
function app(files: Record<string, string>, code = 0): string {
  const script = `const fs=require('fs');const d=process.env.CDK8S_OUTDIR;${Object.entries(files)
    .map(([name, text]) => `fs.writeFileSync(require('path').join(d,${JSON.stringify(name)}),${JSON.stringify(text)});`)
    .join('')}process.exit(${code})`;
  return `${JSON.stringify(process.execPath)} -e ${JSON.stringify(script)}`;
}

describe('meshform synth: the output folder is replaced whole, or not at all', () => {
  it('puts a successful synth in place of the previous output', async () => {
    const dir = tempFiles({});
    const output = join(dir, 'dist');
    mkdirSync(output);
    writeFileSync(join(output, 'old.k8s.yaml'), 'kind: Old\n');
    const run = await cli('synth', '--app', app({ 'shop.k8s.yaml': 'kind: Namespace\n' }), '--output', output);
    expect(run.code).toBe(0);
    expect(readdirSync(output)).toEqual(['shop.k8s.yaml']);
    expect(readdirSync(dir)).toEqual(['dist']);
  });

  it('leaves the previous output whole when the synth fails, even after writing part of it', async () => {
    const dir = tempFiles({});
    const output = join(dir, 'dist');
    mkdirSync(output);
    writeFileSync(join(output, 'shop.k8s.yaml'), 'kind: Namespace\n');
    const run = await cli('synth', '--app', app({ 'shop.k8s.yaml': 'kind: Dep' }, 1), '--output', output);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the synth failed \(exit 1\); .*dist is as it was/);
    expect(readFileSync(join(output, 'shop.k8s.yaml'), 'utf8')).toBe('kind: Namespace\n');
    expect(readdirSync(dir)).toEqual(['dist']);
  });

  it('writes nothing when the first synth fails', async () => {
    const dir = tempFiles({});
    const run = await cli('synth', '--app', app({}, 3), '--output', join(dir, 'dist'));
    expect(run.code).toBe(3);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
