import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
    expect(result.stdout).toMatch(/^route\s+pin-v3: the first route whose conditions the request meets {2}\[VirtualService bookinfo\/reviews spec\.http\[0\]\.match\[0\]\]$/m);
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
