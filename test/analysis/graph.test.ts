import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bookinfo } from '../../examples/bookinfo.js';
import { graphAsDot, graphAsMermaid, proxyFootprint, routingGraph } from '../../src/analysis/index.js';
import type { KubeObject } from '../../src/core/index.js';
import { cli, tempFiles } from '../support/cli.js';
import { EgressGateway, Mesh, MeshGateway, MeshService } from '../../src/index.js';
import { synth, synthExample } from '../support/synth.js';

describe('routing graph', () => {
  const graph = routingGraph(synthExample(bookinfo));
  const label = (id: string) => graph.nodes.find((n) => n.id === id)!.label;
  const edgesFrom = (text: string) =>
    graph.edges.filter((e) => label(e.from) === text).map((e) => `${label(e.to)}${e.label ? ` ${e.label}` : ''}`);

  it('follows gateway → host → route → destination with weights', () => {
    expect(edgesFrom('Gateway bookinfo/bookinfo-gateway')).toEqual(['*']);
    expect(edgesFrom('*')).toEqual([expect.stringMatching(/^bookinfo-gateway http\[0\]: uri exact \/productpage/)]);
    expect(edgesFrom('reviews')).toEqual(['reviews http[0]: x-canary = v3', 'reviews http[1]: default']);
    expect(edgesFrom('reviews http[1]: default')).toEqual(['reviews/v1 80%', 'reviews/v2 20%']);
    expect(edgesFrom('mesh (sidecars)')).toEqual(['reviews']);
  });

  it("labels a rule that takes only some gateways' requests (match.gateways)", () => {
    const egress = routingGraph(
      synth((chart) => {
        const mesh = new Mesh(chart, 'mesh', { namespace: 'shop' });
        new EgressGateway(chart, 'stripe', { mesh, host: 'api.stripe.com', mode: 'originate' });
      }),
    );
    const name = (id: string) => egress.nodes.find((n) => n.id === id)!.label;
    const fromHost = egress.edges.filter((e) => name(e.from) === 'api.stripe.com').map((e) => `${name(e.to).split(':')[0]} ${e.label}`);
    expect(fromHost).toEqual(['stripe http[0] only from mesh', 'stripe http[1] only from Gateway shop/stripe']);
  });

  it('lists no Sidecar for gateway proxies, which Sidecar resources do not scope', () => {
    const objects = synth((chart) => {
      // REGISTRY_ONLY adds a namespace-wide Sidecar, which Istio applies to the sidecars only.
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop', scopeSidecars: true, outboundTrafficPolicy: 'REGISTRY_ONLY' });
      const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1', port: 8080 });
      new MeshGateway(chart, 'edge', { mesh, http: { hosts: ['shop.example.com'] }, deployment: {} }).route({ host: 'shop.example.com', to: web });
    });
    const rows = Object.fromEntries(proxyFootprint(objects as KubeObject[]).workloads.map((row) => [row.workload, row.sidecar ?? '-']));
    expect(rows).toEqual({ 'Deployment shop/edge': '-', 'Deployment shop/web-v1': 'shop/web' });
  });

  it('renders Mermaid and DOT', () => {
    const mermaid = graphAsMermaid(graph);
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toMatch(/n\d+ -->\|80%\| n\d+/);
    const dot = graphAsDot(graph);
    expect(dot).toMatch(/^digraph routing \{\n  rankdir=LR;\n/);
    expect(dot).toMatch(/n\d+ -> n\d+ \[label="20%"\];/);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
  });

  it('is the meshform graph command', async () => {
    const dir = tempFiles({ 'bookinfo.yaml': synthExample(bookinfo).map((o) => stringify(o)).join('---\n') });
    const result = await cli('graph', '--format', 'dot', dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(graphAsDot(graph));
    expect((await cli('graph', '--format', 'svg', dir)).code).toBe(1);
  });
});
