import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { hasSchema, schemaIssues } from '../../imports/index.js';
import { EXAMPLES } from '../../examples/index.js';
import { synthExample, type Manifest } from '../support/synth.js';

describe.each(Object.entries(EXAMPLES))('example %s', (_name, example) => {
  const objects = synthExample(example);

  it('matches the reviewed YAML snapshot', () => {
    expect(objects.map((object) => stringify(object)).join('---\n')).toMatchSnapshot();
  });

  it('validates every object against the upstream schemas', () => {
    for (const object of objects) {
      expect(hasSchema(object.apiVersion, object.kind), `${object.apiVersion} ${object.kind} has a schema`).toBe(true);
      expect(schemaIssues(object), `${object.kind} ${object.metadata.name}`).toEqual([]);
    }
  });

  it('gives every namespaced object an explicit namespace and unique names', () => {
    const clusterScoped = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);
    const keys = objects.map((o: Manifest) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const object of objects.filter((o) => !clusterScoped.has(o.kind))) {
      expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBeTruthy();
    }
  });
});

describe('cdk8s synth', () => {
  it('writes byte-identical YAML on every run', () => {
    const run = () => {
      const outdir = mkdtempSync(join(tmpdir(), 'meshform-synth-'));
      const result = spawnSync('npx', ['cdk8s', 'synth', '--check-upgrade=false', '--output', outdir], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      return Object.fromEntries(readdirSync(outdir).sort().map((file) => [file, readFileSync(join(outdir, file), 'utf8')]));
    };
    const first = run();
    expect(Object.keys(first)).toEqual(Object.keys(EXAMPLES).map((name) => `${name}.k8s.yaml`).sort());
    expect(run()).toEqual(first);
  });
});

describe('canary rollout stages', () => {
  it('change only the VirtualServices (mesh and gateway) from one stage to the next', async () => {
    const { canary, ROLLOUT_STAGES } = await import('../../examples/canary.js');
    const stages = ROLLOUT_STAGES.map((_, stage) => synthExample((scope) => canary(scope, { stage })));
    for (let i = 1; i < stages.length; i++) {
      const changed = stages[i]!.filter((o, index) => JSON.stringify(o) !== JSON.stringify(stages[i - 1]![index]));
      // The gateway route splits by the same weights, so that edge traffic follows the rollout too.
      expect(changed.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['VirtualService checkout', 'VirtualService edge-shop-example-com']);
    }
    const weights = (objects: Manifest[]) =>
      objects.find((o) => o.kind === 'VirtualService' && o.metadata.name === 'checkout')!.spec.http.at(-1).route.map((r: any) => r.weight);
    expect(weights(stages[2]!)).toEqual([50, 50]);
    expect(() => canary(Testing.app(), { stage: 9 })).toThrowError(/stage 9 does not exist/);
  });
});
