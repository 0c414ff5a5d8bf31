import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bookinfo } from '../../examples/bookinfo.js';
import { binary, cli, tempFiles } from '../support/cli.js';
import { synthExample } from '../support/synth.js';

const BROKEN = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  gateways: [missing-gateway]
  http: [{ route: [{ destination: { host: reviews } }] }]
---
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec: { selector: { app: reviews }, ports: [{ name: web, port: 9080 }] }
`;

describe('meshform analyze', () => {
  it('reports nothing at Error on the synthesized Bookinfo and exits 0', async () => {
    const dir = tempFiles({ 'bookinfo.k8s.yaml': synthExample(bookinfo).map((o) => stringify(o)).join('---\n') });
    const result = await cli('analyze', '-o', 'json', dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).filter((d: { level: string }) => d.level !== 'Info')).toEqual([]);
  });

  it('prints istioctl-style JSON and exits 79 on an Error', async () => {
    const dir = tempFiles({ 'broken.yaml': BROKEN });
    const result = await cli('analyze', '-o', 'json', join(dir, 'broken.yaml'));
    expect(result.code).toBe(79);
    const diagnostics = JSON.parse(result.stdout);
    expect(diagnostics).toContainEqual({
      code: 'IST0101',
      level: 'Error',
      origin: 'VirtualService shop/reviews',
      message: 'Referenced gateway not found: "missing-gateway"',
      path: 'spec.gateways[0]',
      fix: 'Create the referenced resource or correct the reference.',
    });
    // istioctl's four keys always, meshform's field path and fix where known.
    for (const d of diagnostics) expect(Object.keys(d).filter((k) => !['path', 'fix'].includes(k)).sort()).toEqual(['code', 'level', 'message', 'origin']);
  });

  it('reports the mistakes behind "my gateway returns 404" and policies that never match', async () => {
    const dir = tempFiles({
      'mistakes.yaml': `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers:
  - { port: { number: 80, name: http, protocol: HTTP }, hosts: [shop.example.com], tls: { httpsRedirect: true } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [shop.example.com]
  http: [{ timeoutt: 2s, route: [{ destination: { host: web } }] }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ name: http, port: 80 }] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  rules: [{ to: [{ operation: { methods: [post] } }] }]
`,
    });
    const result = await cli('analyze', '-o', 'json', dir);
    const found = (JSON.parse(result.stdout) as { code: string; level: string; origin: string; path?: string }[]).filter((d) => d.level !== 'Info').map((d) => `${d.level} ${d.code} ${d.origin} ${d.path}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'Warning MF0009 VirtualService shop/web spec.hosts[0]',
        'Warning MF0010 Gateway shop/edge spec.servers[0].tls.httpsRedirect',
        'Warning MF0011 AuthorizationPolicy shop/web spec.rules[0].to[0].operation.methods[0]',
        'Error IST0106 VirtualService shop/web spec.http.0.timeoutt',
      ]),
    );
    expect(result.code).toBe(79);
  });

  it('groups text output by resource with a fix for each finding', async () => {
    const dir = tempFiles({ 'broken.yaml': BROKEN });
    const { stdout } = await cli('analyze', dir);
    expect(stdout).toContain('VirtualService shop/reviews\n  Error [IST0101] spec.gateways[0]: Referenced gateway not found: "missing-gateway"\n    fix: ');
    expect(stdout).toContain('Service shop/reviews\n');
    expect(stdout).toMatch(/Info \[IST0118\] spec\.ports\[0\]: Port name web/);
    expect(stdout).toMatch(/\d+ Errors?, \d+ Warnings?, \d+ Infos? in 2 of 2 objects\./);
  });

  it('honours --failure-threshold and --output-threshold', async () => {
    const dir = tempFiles({ 'svc.yaml': BROKEN.split('---')[1]! });
    expect((await cli('analyze', dir)).code).toBe(0);
    expect((await cli('analyze', '--failure-threshold', 'Info', dir)).code).toBe(79);
    expect((await cli('analyze', '--output-threshold', 'Error', '-o', 'json', dir)).stdout).toBe('[]\n');
  });

  it('reads folders (recursively with --recursive), multi-document files and kind: List', async () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'list.yml'), stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { ports: [{ name: 'nope', port: 1 }] } }] }));
    writeFileSync(join(dir, 'README.md'), 'not a manifest');
    const flat = await cli('analyze', '-o', 'json', dir);
    expect(flat.code).toBe(1);
    expect(flat.stderr).toMatch(/no YAML or JSON files; add --recursive for sub-folders/);
    const result = await cli('analyze', '-o', 'json', '--recursive', dir);
    expect(JSON.parse(result.stdout).map((d: { origin: string }) => d.origin)).toContain('Service a');
  });

  it('uses the mesh config given', async () => {
    const dir = tempFiles({
      'se.yaml': 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: db }\nspec: { hosts: [db.example.com], ports: [{ number: 5432, name: tcp, protocol: TCP }] }\n',
      // Istio allocates addresses only while the proxies capture DNS.
      'mesh.yaml': 'defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"\n    ISTIO_META_DNS_AUTO_ALLOCATE: "true"\n',
    });
    const codes = async (...extra: string[]) => JSON.parse((await cli('analyze', '-o', 'json', ...extra, join(dir, 'se.yaml'))).stdout).map((d: { code: string }) => d.code);
    expect(await codes()).toContain('IST0134');
    expect(await codes('--mesh-config', join(dir, 'mesh.yaml'))).not.toContain('IST0134');
  });

  it('checks the mesh networks given, as the istio ConfigMap holds them', async () => {
    const dir = tempFiles({
      'remote.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: { name: istio-remote-secret-east, namespace: istio-system, labels: { istio/multiCluster: "true" } }\nstringData: { east: kubeconfig }\n',
      'istio.yaml': stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'istio', namespace: 'istio-system' },
        data: { meshNetworks: stringify({ networks: { west: { endpoints: [{ fromRegistry: 'Kubernetes' }, { fromRegistry: 'east' }, { fromRegistry: 'north' }] } } }) },
      }),
    });
    const result = await cli('analyze', '-o', 'json', '--mesh-networks', join(dir, 'istio.yaml'), join(dir, 'remote.yaml'));
    expect(result.code).toBe(79);
    expect(JSON.parse(result.stdout).map((d: { code: string; origin: string; message: string }) => `${d.code} ${d.origin} ${d.message}`)).toEqual([
      'IST0126 MeshNetworks istio-system/meshnetworks Unknown service registry north in network west',
    ]);
  });

  it('exits 1 on unreadable input and bad flags, saying why', async () => {
    const missing = await cli('analyze', 'does-not-exist.yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read does-not-exist\.yaml/);
    const dir = tempFiles({ 'bad.yaml': 'kind: Service\nmetadata: { name: [ }\n' });
    const broken = await cli('analyze', join(dir, 'bad.yaml'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/bad\.yaml:2 is not valid YAML/);
    expect((await cli('analyze', '--failure-threshold', 'Fatal', dir)).code).toBe(1);
  });

  it('runs as the installed binary', () => {
    const dir = tempFiles({ 'broken.yaml': BROKEN });
    const result = binary('analyze', '-o', 'json', dir);
    expect(result.code).toBe(79);
    expect(JSON.parse(result.stdout)[0]).toHaveProperty('code');
  });
});

describe('meshform analyze input', () => {
  it('reads standard input for "-", and YAML files behind symbolic links in folders (a mounted ConfigMap)', async () => {
    const { runCli } = await import('../../src/cli/main.js');
    let stdout = '';
    const code = await runCli(['analyze', '-o', 'json', '-'], { stdout: (text) => (stdout += text), stderr: () => undefined }, () => BROKEN);
    expect(code).toBe(79);
    expect(JSON.parse(stdout).map((d: { origin: string }) => d.origin)).toContain('VirtualService shop/reviews');

    const real = tempFiles({ 'broken.yaml': BROKEN });
    const mounted = tempFiles({});
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(real, 'broken.yaml'), join(mounted, 'broken.yaml'));
    const result = await cli('analyze', '-o', 'json', mounted);
    expect(result.code).toBe(79);
    expect(JSON.parse(result.stdout).map((d: { origin: string }) => d.origin)).toContain('VirtualService shop/reviews');
  });
});
