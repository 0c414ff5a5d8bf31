/**
 * One Pulumi registration under Pulumi's own mocks, in a process of its own:
 * `tsx bench/pulumi-once.ts meshstack|plain SERVICES OBJECTS.json`. `meshstack` builds the
 * one-namespace mesh in a MeshStack; `plain` registers the same objects (read before the clock
 * starts) as a plain @pulumi/kubernetes program would: a typed resource per kind where the SDK
 * has one, a CustomResource otherwise. Prints one JSON line: seconds until every registration
 * reached the (mock) engine, and peak memory.
 */
import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../src/core/index.js';

const [mode, services, objectsFile] = process.argv.slice(2);
let registered = 0;
await pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered++;
      return { id: args.name, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  'bench',
  'bench',
  false,
);
const k8s = await import('@pulumi/kubernetes');
const objects = mode === 'plain' ? (JSON.parse(readFileSync(objectsFile!, 'utf8')) as KubeObject[]) : [];
const { MeshStack } = await import('../src/pulumi/index.js');
const { buildOneNamespaceMesh } = await import('./shapes.js');
process.stderr.write = () => true;

type Constructor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;
const typed: Record<string, Constructor> = {
  'v1/Namespace': k8s.core.v1.Namespace,
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
};

const start = performance.now();
let expected: number;
if (mode === 'plain') {
  for (const object of objects) {
    const name = `${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
    const Resource = typed[`${object.apiVersion}/${object.kind}`];
    if (Resource) new Resource(name, object);
    else new k8s.apiextensions.CustomResource(`${object.kind}/${name}`, object as never);
  }
  expected = objects.length;
} else {
  const stack = new MeshStack('platform', { build: (chart) => void buildOneNamespaceMesh(chart.node.scope as never, Number(services), { into: chart }) });
  expected = stack.manifests.length;
}
// Registrations reach the engine asynchronously: the clock stops when the last one has.
while (registered < expected) await new Promise((resolve) => setTimeout(resolve, 5));
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, peakMB: process.resourceUsage().maxRSS / 1024, resources: registered }));
