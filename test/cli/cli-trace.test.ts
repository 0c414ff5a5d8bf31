import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookinfo } from '../../examples/bookinfo.js';

// The binary, as a user runs it on what `cdk8s synth` wrote.
const meshform = (...args: string[]) => spawnSync(process.execPath, ['bin/meshform.js', 'trace', ...args], { encoding: 'utf8' });

let file: string;
beforeAll(() => {
  file = join(mkdtempSync(join(tmpdir(), 'meshform-trace-')), 'bookinfo.yaml');
  writeFileSync(file, Testing.synth(bookinfo(Testing.app())).map((object) => stringify(object)).join('---\n'));
});

describe('meshform trace', () => {
  it('prints one line per hop, the deciding object and field, and the outcome', () => {
    const result = meshform(file, 'http://reviews:9080/reviews/1', '--from', 'Deployment bookinfo/productpage-v1', '-H', 'x-canary: v3');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^route\s+pin-v3: the first route that matches: header x-canary exact \"v3\" {2}\[VirtualService bookinfo\/reviews spec\.http\[0\]\.match\[0\]\]$/m);
    expect(result.stdout).toMatch(/^outcome\s+routed: sent to outbound\|9080\|v3\|reviews\.bookinfo\.svc\.cluster\.local$/m);
  });

  it('gives the cluster and the error class in JSON, as the corpus scores them', () => {
    const result = meshform('-o', 'json', file, 'http://shop.example.com/productpage');
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { cluster: string; error: null; hops: unknown[] };
    expect(json).toMatchObject({ cluster: 'outbound|9080||productpage.bookinfo.svc.cluster.local', error: null, listener: '0.0.0.0_80', routeConfig: 'http.80' });
    expect(json.hops.length).toBeGreaterThan(5);
  });

  it('takes the explicit form of Istio’s simulation', () => {
    const result = meshform('-o', 'json', '--proxy-kind', 'gateway', '--proxy-namespace', 'istio-system', '--proxy-labels', 'istio=ingressgateway', '--proxy-ip', '1.1.1.1', '--mode', 'gateway', '--port', '80', '--host', 'any.example.com', '--path', '/nothing-here', '--protocol', 'http', '--address', '1.3.3.7', file);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ cluster: null, error: 'no route', outcome: { result: '404', flag: 'NR' } });
  });

  it('draws the path as a Mermaid flowchart', () => {
    const result = meshform('-o', 'mermaid', file, 'http://shop.example.com/productpage');
    expect(result.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(result.stdout).toContain('(["routed"])');
  });

  it("prints what the README's checklist shows for the two broken Bookinfos", () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshform-broken-'));
    const objects = Testing.synth(bookinfo(Testing.app()));
    const write = (name: string, list: typeof objects) => {
      writeFileSync(join(dir, name), list.map((object) => stringify(object)).join('---\n'));
      return join(dir, name);
    };
    const unbound = write('unbound.yaml', objects.map((object) => (object.kind === 'VirtualService' && object.metadata?.name === 'bookinfo-gateway' ? { ...object, spec: { ...object.spec, gateways: ['bookinfo-gw'] } } : object)));
    const noV3 = write('no-v3.yaml', objects.filter((object) => !(object.kind === 'Deployment' && object.metadata?.name === 'reviews-v3')));
    const printed = meshform(unbound, 'http://shop.example.com/productpage').stdout + meshform(noV3, 'http://reviews:9080/reviews/1', '--from', 'Deployment bookinfo/productpage-v1', '-H', 'x-canary: v3').stdout;
    const readme = readFileSync('README.md', 'utf8');
    const block = /\*\*The checklist, offline\.\*\*[\s\S]*?```\n([\s\S]*?)```/.exec(readme)![1]!;
    const shown = block.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('$'));
    expect(shown.length).toBeGreaterThan(8);
    for (const line of shown) expect(printed.split('\n')).toContain(line);
  });

  it('says what is wrong with the request, and exits 1', () => {
    const noUrl = meshform(file);
    expect(noUrl.status).toBe(1);
    expect(noUrl.stderr).toContain('no request to trace');
    const unknown = meshform(file, 'http://reviews:9080/', '--from', 'Deployment bookinfo/nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('there is no Deployment bookinfo/nope in the manifests');
    const noGateway = meshform(file, 'https://elsewhere.example.org/');
    expect(noGateway.stderr).not.toContain('    at ');
  });
});
