import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MeshformError } from '../../src/index.js';
import { parseDocuments, parseManifests } from '../../src/core/index.js';
import { parseSize } from '../../src/cli/read-input.js';
import { cli, tempFiles } from '../support/cli.js';

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec: { selector: { app: web }, ports: [{ name: http, port: 80 }] }\n';

/** Nine levels of ten aliases each: 10⁹ nodes when expanded. */
const ALIAS_BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((name, index) => {
  const previous = 'abcdefghi'[index]!;
  return `${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`;
})].join('\n');

describe('meshform analyze on hostile input', () => {
  it('ends an alias bomb with one line naming the file, and analyzes the other files', async () => {
    const dir = tempFiles({ 'bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bomb }\ndata:\n  ${ALIAS_BOMB.split('\n').join('\n  ')}\n`, 'web.yaml': SERVICE });
    const result = await cli('analyze', '-o', 'json', dir);
    expect(result.stderr).toMatch(/bomb\.yaml is not usable YAML: .*alias/i);
    expect(result.stderr).not.toContain('unexpected error');
    expect(JSON.parse(result.stdout).map((d: { origin: string }) => d.origin)).toContain('Service shop/web');
    expect(result.code).toBe(1);
  });

  it('reports a duplicate key with its line, as kubectl refuses it', async () => {
    const dir = tempFiles({ 'dup.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n' });
    const result = await cli('analyze', dir);
    expect(result.stderr).toMatch(/dup\.yaml:5 is not valid YAML: Map keys must be unique/);
    expect(result.stderr).toContain('Kubernetes refuses a map that names a field twice');
  });

  it('reports text that is not UTF-8 with its line instead of patching it', async () => {
    const dir = tempFiles({});
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from(SERVICE), Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const result = await cli('analyze', dir);
    expect(result.stderr).toMatch(/latin1\.yaml:5 is not UTF-8 text/);
  });

  it('bounds every input, /dev/zero included, and says which flag raises the bound', async () => {
    const dir = tempFiles({ 'web.yaml': SERVICE });
    const small = await cli('analyze', '--max-input-size', '100', dir);
    expect(small.stderr).toMatch(/web\.yaml is larger than 100 bytes, the bound of one input/);
    expect(small.stderr).toContain('--max-input-size');
    const zero = await cli('analyze', '--max-input-size', '2M', '/dev/zero', dir);
    expect(zero.stderr).toMatch(/\/dev\/zero is larger than 2M/);
    expect((await cli('analyze', '--max-input-size', '1K', dir)).code).toBe(0);
    expect(parseSize('512M')).toBe(512 * 1024 * 1024);
    expect(parseSize('1GiB')).toBe(1024 ** 3);
    expect(() => parseSize('lots')).toThrow(/give a size/);
  });

  it('reads a List of 200,000 items without overflowing the stack', () => {
    const items = Array.from({ length: 200_000 }, (_, index) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${index}` } }));
    expect(parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }))).toHaveLength(200_000);
  });

  it('reads standard input through the binary, bounded as a file', () => {
    const result = spawnSync(process.execPath, ['bin/meshform.js', 'analyze', '--max-input-size', '10', '-'], { input: SERVICE, encoding: 'utf8' });
    expect(result.stderr).toMatch(/standard input is larger than 10 bytes/);
    expect(result.status).toBe(1);
  });
});

describe('the fast YAML path', () => {
  // js-yaml reads plain documents; `yaml` reads tags and aliases. Both must give the same values.
  it.each([
    ['plain scalars of the YAML 1.2 core schema', 'a: yes\nb: 0777\nc: 0o17\nd: 0x1F\ne: .inf\nf: ~\ng: 2001-12-14\nh: 1e3\n', { a: 'yes', b: 777, c: 15, d: 31, e: Infinity, f: null, g: '2001-12-14', h: 1000 }],
    ['explicit tags', 'a: !!float 1\nb: !!str 12\n', { a: '1', b: '12' }],
    ['aliases', 'a: &x { k: v }\nb: *x\n', { a: { k: 'v' }, b: { k: 'v' } }],
  ])('%s', (_name, text, expected) => {
    expect(parseDocuments(text)).toEqual([expected]);
  });

  it('reads every plain scalar as `yaml` does, numbers that js-yaml alone would take included', () => {
    const scalar = fc.oneof(
      fc.constantFrom('0b101', '1_000', '-0x1F', '0x_1', '+.5', '.NaN', '-.Inf', '+.inf', 'TRUE', 'tRue', 'Null', '~', '0o', '0x', '1e', '3.', '-0', '+12', '0o19', '1e+3', '.5e-2'),
      fc.stringMatching(/^[-+]?[0-9._xobeEinfaINFNtrulsFAL~]{0,6}$/),
    );
    fc.assert(
      fc.property(scalar, (text) => {
        const document = `v: ${text}\n`;
        let expected: unknown;
        try {
          expected = parse(document);
        } catch {
          expect(() => parseDocuments(document)).toThrowError(MeshformError);
          return;
        }
        expect(parseDocuments(document)).toEqual([expected]);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves anchors and aliases to `yaml`, which bounds their expansion', () => {
    expect(parseDocuments('a: [&x 1, *x]\n')).toEqual([{ a: [1, 1] }]);
    expect(() => parseDocuments('a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n')).toThrowError(MeshformError);
  });
});

describe('objects of an unknown apiVersion', () => {
  it('reports them (MF0012) instead of skipping them without a word', async () => {
    const dir = tempFiles({
      'odd.yaml': [
        'apiVersion: 1\nkind: Service\nmetadata: { name: one, namespace: shop }\n',
        'apiVersion: networking.istio.io/v9\nkind: VirtualService\nmetadata: { name: nine, namespace: shop }\nspec: { hosts: [web] }\n',
        'apiVersion: networking.istio.io/v1\nkind: VirtualServce\nmetadata: { name: typo, namespace: shop }\n',
        // A group whose schemas meshform does not have: its CRD may well serve it.
        'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w, namespace: shop }\n',
      ].join('---\n'),
    });
    const findings = JSON.parse((await cli('analyze', '-o', 'json', dir)).stdout).filter((d: { code: string }) => d.code === 'MF0012');
    expect(findings.map((d: { origin: string }) => d.origin).sort()).toEqual(['Service shop/one', 'VirtualServce shop/typo', 'VirtualService shop/nine']);
    expect(findings.find((d: { origin: string }) => d.origin === 'VirtualService shop/nine').message).toContain('no kind VirtualService is served in networking.istio.io/v9');
  });
});

describe('meshform inject refuses what Istio’s injector refuses', () => {
  const deployment = (annotations: Record<string, string>) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: web, namespace: shop }',
      'spec:',
      '  selector: { matchLabels: { app: web } }',
      '  template:',
      `    metadata: { labels: { app: web }, annotations: ${JSON.stringify(annotations)} }`,
      '    spec: { containers: [{ name: web, image: web:1 }] }',
      '',
    ].join('\n');
  const inject = (annotations: Record<string, string>, ...flags: string[]) => cli('inject', '-f', join(tempFiles({ 'web.yaml': deployment(annotations) }), 'web.yaml'), ...flags);

  it.each([
    ['sidecar.istio.io/proxyCPU', 'abc', 'is not a quantity'],
    ['sidecar.istio.io/proxyMemory', '-5Gi', 'negative resource amount'],
    ['sidecar.istio.io/proxyMemoryLimit', '1Gi\u0007', 'control characters'],
    ['readiness.status.sidecar.istio.io/periodSeconds', '9'.repeat(1000), 'not a whole number from 0 to 4294967295'],
    ['traffic.sidecar.istio.io/excludeInboundPorts', 'abc,-1,99999', '"abc", "-1", "99999" is not a port number'],
    ['traffic.sidecar.istio.io/excludeOutboundPorts', '80,,443', '"" is not a port number'],
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', '10.0.0.0/8, 192.168.0.0/16', '" 192.168.0.0/16" is not a CIDR range'],
    ['traffic.sidecar.istio.io/excludeInterfaces', 'eth0,this-name-is-too-long', 'too long'],
    ['sidecar.istio.io/interceptionMode', 'FOO', 'is not REDIRECT, TPROXY or NONE'],
    ['status.sidecar.istio.io/port', '70000', 'is not a port number'],
    ['proxy.istio.io/config', 'concurrency: abc', 'concurrency is "abc", not a whole number'],
    ['sidecar.istio.io/userVolumeMount', '{not json', "'sidecar.istio.io/userVolumeMount' is not JSON"],
    ['sidecar.istio.io/userVolumeMount', '{"certs": {"readOnly": true}}', 'entry "certs" needs a mountPath'],
    ['sidecar.istio.io/userVolume', '["certs"]', 'must be a JSON map of name to volume'],
  ])('%s: %j', async (name, value, rule) => {
    const result = await inject({ [name]: value });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`meshform: Deployment web metadata.annotations['${name}']:`);
    expect(result.stderr).toContain(rule);
    expect(result.stderr).not.toContain('unexpected error');
    expect(result.stderr.length).toBeLessThan(600);
  });

  it('injects valid values of the same annotations', async () => {
    const result = await inject({
      'sidecar.istio.io/proxyCPU': '250m',
      'traffic.sidecar.istio.io/excludeInboundPorts': ' 9090, 9091 ',
      'traffic.sidecar.istio.io/includeOutboundIPRanges': '*',
      'sidecar.istio.io/interceptionMode': 'TPROXY',
      'sidecar.istio.io/userVolumeMount': '{"certs": {"mountPath": "/etc/certs", "readOnly": true}}',
      'sidecar.istio.io/userVolume': '{"certs": {"secret": {"secretName": "certs"}}}',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('mountPath: /etc/certs');
  });

  it('names a null List item, and wrong-typed values and mesh config files', async () => {
    const dir = tempFiles({
      'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n- null\n- { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }\n',
      'web.yaml': deployment({}),
      'values.yaml': 'global: 5\n',
      'switch.yaml': 'global: { proxy: { holdApplicationUntilProxyStarts: "yes" } }\n',
      'mesh.yaml': 'defaultConfig: [1, 2]\n',
    });
    const list = await cli('inject', '-f', join(dir, 'list.yaml'));
    expect(list.stderr).toContain('meshform: List items[0] is null, not an object.');
    const values = await cli('inject', '-f', join(dir, 'web.yaml'), '--values', join(dir, 'values.yaml'));
    expect(values.stderr).toContain('meshform: injection values: global is 5, not a map.');
    const flag = await cli('inject', '-f', join(dir, 'web.yaml'), '--values', join(dir, 'switch.yaml'));
    expect(flag.stderr).toContain('global.proxy.holdApplicationUntilProxyStarts is "yes", not true or false');
    const mesh = await cli('inject', '-f', join(dir, 'web.yaml'), '--mesh-config', join(dir, 'mesh.yaml'));
    expect(mesh.stderr).toContain('mesh.yaml: defaultConfig is [1,2], not a map.');
    for (const result of [list, values, flag, mesh]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toContain('unexpected error');
    }
  });
});
