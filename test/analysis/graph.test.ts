import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bookinfo } from '../../examples/bookinfo.js';
import { graphAsDot, graphAsMermaid, routingGraph } from '../../src/analysis/index.js';
import { cli, tempFiles } from '../support/cli.js';
import { synthExample } from '../support/synth.js';

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
