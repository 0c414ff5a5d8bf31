import { App, Chart } from 'cdk8s';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MeshGateway, MeshService } from '../../src/index.js';
import { binary, cli, tempFiles } from '../support/cli.js';

const SERVICE = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: shop${extra} }\nspec: { selector: { app: ${name} }, ports: [{ name: web, port: 80 }] }\n`;

const codesOf = (stdout: string) => JSON.parse(stdout).map((d: { code: string; origin: string }) => `${d.code} ${d.origin}`);

describe('meshform analyze --suppress and the suppress annotation', () => {
  const dir = tempFiles({ 'a.yaml': SERVICE('a'), 'b.yaml': SERVICE('b') });

  it('reports IST0118 on both Services without suppression', async () => {
    expect(codesOf((await cli('analyze', '-o', 'json', dir)).stdout)).toEqual(expect.arrayContaining(['IST0118 Service shop/a', 'IST0118 Service shop/b']));
  });

  it('drops exactly what a rule names, in meshform or istioctl form, with wildcards', async () => {
    const one = codesOf((await cli('analyze', '-o', 'json', '--suppress', 'IST0118=Service shop/a', dir)).stdout);
    expect(one).not.toContain('IST0118 Service shop/a');
    expect(one).toContain('IST0118 Service shop/b');
    const istioctlForm = codesOf((await cli('analyze', '-o', 'json', '-S', 'IST0118=Service b.shop', dir)).stdout);
    expect(istioctlForm).toContain('IST0118 Service shop/a');
    expect(istioctlForm).not.toContain('IST0118 Service shop/b');
    const all = codesOf((await cli('analyze', '-o', 'json', '-S', 'IST0118=Service shop/*', '-S', 'MF*=*', dir)).stdout);
    expect(all.filter((c: string) => c.startsWith('IST0118') || c.startsWith('MF'))).toEqual([]);
  });

  it('honours galley.istio.io/analyze-suppress on the object', async () => {
    const annotated = tempFiles({
      // The annotation is Alpha, so Istio reports it (IST0136) unless it is suppressed too.
      'a.yaml': SERVICE('a', ', annotations: { galley.istio.io/analyze-suppress: "IST0118,MF0003,IST0136" }'),
      'b.yaml': SERVICE('b', ', annotations: { galley.istio.io/analyze-suppress: "*" }'),
      'c.yaml': SERVICE('c', ', annotations: { galley.istio.io/analyze-suppress: "IST0101" }'),
    });
    const found = codesOf((await cli('analyze', '-o', 'json', annotated)).stdout);
    expect(found.filter((c: string) => c.includes('shop/a') || c.includes('shop/b'))).toEqual([]);
    expect(found).toContain('IST0118 Service shop/c');
  });

  it('refuses a rule it cannot read, saying the form', async () => {
    const result = await cli('analyze', '-S', 'IST0118', dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/suppression "IST0118" is not CODE=Kind namespace\/name/);
  });
});

describe('meshform analyze on input without objects', () => {
  it('names empty files, files without kind and empty folders on stderr, and exits 1 when nothing is left', async () => {
    const dir = tempFiles({ 'empty.yaml': '', 'nokind.yaml': 'a: 1\n' });
    mkdirSync(join(dir, 'nothing'));
    const result = await cli('analyze', join(dir, 'empty.yaml'), join(dir, 'nokind.yaml'), join(dir, 'nothing'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/empty\.yaml holds no Kubernetes objects/);
    expect(result.stderr).toMatch(/nokind\.yaml holds no Kubernetes objects/);
    expect(result.stderr).toMatch(/nothing \(no YAML or JSON files/);
    expect(result.stderr).toMatch(/nothing to analyze/);
    expect(result.stdout).not.toMatch(/No validation issues/);
  });

  it('reports an unreadable file with its line, analyzes the rest, and exits 1', async () => {
    const dir = tempFiles({ 'bad.yaml': 'kind: Service\nmetadata: {\n', 'good.yaml': SERVICE('a') });
    const result = await cli('analyze', '-o', 'json', dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.yaml:\d+ is not valid YAML/);
    expect(codesOf(result.stdout)).toContain('IST0118 Service shop/a');
  });
});

describe('meshform analyze finds duplicates across files', () => {
  it('reports MF0006 once for an object two files define', async () => {
    const dir = tempFiles({ 'a.yaml': SERVICE('a'), 'copy.yaml': SERVICE('a') });
    const result = await cli('analyze', '-o', 'json', dir);
    expect(result.code).toBe(79);
    expect(codesOf(result.stdout).filter((c: string) => c.startsWith('MF0006'))).toEqual(['MF0006 Service shop/a']);
    const finding = JSON.parse(result.stdout).find((d: { code: string }) => d.code === 'MF0006');
    expect(finding.message).toBe(`2 manifests define this object (same group, kind, namespace and name) (in ${join(dir, 'a.yaml')}, ${join(dir, 'copy.yaml')}): applied, the last one overwrites the others`);
  });
});

describe('meshform analyze --list-analyzers', () => {
  it('lists every analyzer with its codes and whose rules it follows', async () => {
    const result = await cli('analyze', '--list-analyzers', '-o', 'json');
    expect(result.code).toBe(0);
    const list = JSON.parse(result.stdout) as { name: string; codes: string[]; origin: string }[];
    expect(list).toContainEqual({ name: 'virtualservice.GatewayAnalyzer', codes: ['IST0101', 'IST0132', 'IST0165'], origin: 'istio', goFile: 'virtualservice/gateways.go' });
    expect(list).toContainEqual({ name: 'meshform.DuplicateObjectAnalyzer', codes: ['MF0006'], origin: 'meshform' });
    expect((await cli('analyze', '--list-analyzers')).stdout).toMatch(/^annotations\.K8sAnalyzer\s+IST0107/m);
  });
});

describe('synth and meshform analyze agree', () => {
  it('an HTTPS gateway that synthesizes gives exit 0 from analyze with the flag the README names', async () => {
    const outdir = tempFiles({});
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new MeshService(chart, 'web', { image: 'example.com/web:1', port: 8080 });
    new MeshGateway(chart, 'edge', { https: { hosts: ['shop.example.com'], credentialName: 'shop-cert' } }).route({ host: 'shop.example.com', to: web });
    app.synth();
    const plain = await cli('analyze', '-o', 'json', '--output-threshold', 'Error', outdir);
    expect(plain.code).toBe(79);
    expect(codesOf(plain.stdout)).toEqual(['IST0101 Gateway shop/edge']);
    expect(JSON.parse(plain.stdout)[0].message).toMatch(/credentialName/);
    const aligned = await cli('analyze', '--exclude', 'gateway.SecretAnalyzer', outdir);
    expect(aligned.code).toBe(0);
  });
});

describe('the meshform command itself', () => {
  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const result = await cli('--version');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
    expect(binary('--version').stdout.trim()).toBe(version);
  });

  it('writes no stack trace and no errno code for an unwritable output, and leaves no file', () => {
    const dir = tempFiles({ 'pod.yaml': stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'x' }] } }) });
    const missingFolder = binary('inject', '-f', join(dir, 'pod.yaml'), '-o', join(dir, 'no/such/folder/out.yaml'));
    expect(missingFolder.code).toBe(1);
    expect(missingFolder.stderr).toMatch(/cannot write .*out\.yaml: no such file or folder/);
    const intoFolder = binary('inject', '-f', join(dir, 'pod.yaml'), '-o', dir);
    expect(intoFolder.code).toBe(1);
    for (const run of [missingFolder, intoFolder]) {
      expect(run.stderr).not.toMatch(/\n\s+at |E[A-Z]{3,}/);
    }
    expect(readdirSync(dir)).toEqual(['pod.yaml']);
  });

  it('says a values file is not YAML instead of throwing', () => {
    const dir = tempFiles({ 'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: app, image: x }] }\n', 'values.yaml': 'global: [\n' });
    const result = binary('inject', '-f', join(dir, 'pod.yaml'), '--values', join(dir, 'values.yaml'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/values\.yaml is not valid YAML/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says in words why a path cannot be read', async () => {
    const dir = tempFiles({ 'a.yaml': SERVICE('a') });
    const folderAsFile = await cli('analyze', '--mesh-config', dir, join(dir, 'a.yaml'));
    expect(folderAsFile.code).toBe(1);
    expect(folderAsFile.stderr).toMatch(/cannot read .*: it is a folder, not a file/);
    const missing = await cli('analyze', join(dir, 'missing.yaml'));
    expect(missing.stderr).toMatch(/cannot read .*missing\.yaml: no such file or folder/);
    for (const run of [folderAsFile, missing]) expect(run.stderr).not.toMatch(/E[A-Z]{3,}|\n\s+at /);
  });
});
