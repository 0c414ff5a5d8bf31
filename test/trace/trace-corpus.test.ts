import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests, parseMeshConfig, type KubeObject } from '../../src/core/index.js';
import { MeshInputs, traceWith, type TraceRequest } from '../../src/trace/index.js';
import { CORPUS as SHARED } from '../support/synth.js';

// Istio's own simulation cases (../shared/corpus/trace): each call's expected cluster and error.
const CORPUS = SHARED ? join(SHARED, 'trace') : '';

interface CorpusCase {
  readonly id: string;
  readonly config: string;
  readonly meshConfig?: string;
  readonly proxy: { kind: 'gateway' | 'sidecar'; namespace: string; labels?: Record<string, string>; ip: string; ips?: string[] };
  readonly call: Record<string, any>;
  readonly expect: { error: string | null; cluster?: string | null };
}


const SUFFIX = '.svc.cluster.local';

/** The corpus README's comparison: the harness's short host (`a.default`) also accepts the full name. */
function sameCluster(want: string | null | undefined, got: string | null): boolean {
  if (want === got) return true;
  if (typeof want !== 'string' || typeof got !== 'string') return false;
  const w = want.split('|');
  const g = got.split('|');
  return w.length === 4 && g.length === 4 && w.slice(0, 3).join('|') === g.slice(0, 3).join('|') && !w[3]!.endsWith(SUFFIX) && g[3] === `${w[3]}${SUFFIX}`;
}

function requestOf(entry: CorpusCase): TraceRequest {
  const { call, proxy } = entry;
  return {
    proxy: { kind: proxy.kind, namespace: proxy.namespace, labels: proxy.labels ?? {}, ips: proxy.ips ?? [proxy.ip] },
    mode: call.mode,
    port: call.port,
    protocol: call.protocol,
    address: call.address,
    ...(call.host ? { host: call.host } : {}),
    ...(call.path ? { path: call.path } : {}),
    ...(call.sni ? { sni: call.sni } : {}),
    ...(call.alpn ? { alpn: call.alpn } : {}),
    ...(call.mtls ? { mtls: true } : {}),
  };
}

const cases: CorpusCase[] = SHARED ? JSON.parse(readFileSync(join(CORPUS, 'cases.json'), 'utf8')) : [];
const inputsOf = new Map<string, MeshInputs>();
function inputsFor(entry: CorpusCase): MeshInputs {
  const key = `${entry.config}|${entry.meshConfig ?? ''}`;
  let inputs = inputsOf.get(key);
  if (!inputs) {
    const objects: KubeObject[] = parseManifests(readFileSync(join(CORPUS, entry.config), 'utf8'), entry.config, { repeatedKeys: 'last' });
    const mesh = entry.meshConfig ? parseMeshConfig(readFileSync(join(CORPUS, entry.meshConfig), 'utf8'), entry.meshConfig) : undefined;
    inputsOf.set(key, (inputs = new MeshInputs(objects, mesh)));
  }
  return inputs;
}

describe.skipIf(!SHARED)("Istio's simulation cases (../shared/corpus/trace)", () => {
  it('are here to check against', () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it.each(cases.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    const result = traceWith(inputsFor(entry), requestOf(entry));
    expect(result.error).toBe(entry.expect.error);
    if ('cluster' in entry.expect) expect(sameCluster(entry.expect.cluster, result.cluster), `cluster ${result.cluster}, expected ${entry.expect.cluster}`).toBe(true);
  });
});
