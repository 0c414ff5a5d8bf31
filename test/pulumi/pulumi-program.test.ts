import { beforeAll, expect, it } from 'vitest';
import { installMocks, settled, type RegisteredResource } from '../support/pulumi-mocks.js';

let registered: RegisteredResource[];
let program: typeof import('../../examples/pulumi/index.js');

beforeAll(async () => {
  registered = await installMocks();
  program = await import('../../examples/pulumi/index.js');
  await settled();
});

it('installs Istio and deploys Bookinfo, every object a child of the stack', () => {
  const charts = registered.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release').map((r) => r.inputs.chart);
  expect(charts).toEqual(['base', 'istiod', 'gateway']);
  const children = registered.filter((r) => r.parent.endsWith('meshform:pulumi:MeshStack::bookinfo'));
  expect(children).toHaveLength(program.bookinfo.manifests.length);
  expect(children.length).toBeGreaterThan(20);
});

it('admits the Helm-installed gateway identity on productpage', () => {
  const policy = registered.find((r) => r.inputs?.kind === 'AuthorizationPolicy' && r.inputs.metadata.name === 'productpage')!;
  expect(policy.inputs.spec.rules[0].from[0].source.principals).toEqual([
    'cluster.local/ns/istio-ingress/sa/istio-ingressgateway',
  ]);
});

it('resolves the interpolated image Outputs', () => {
  const deployment = registered.find((r) => r.inputs?.kind === 'Deployment' && r.inputs.metadata.name === 'ratings-v1')!;
  expect(deployment.inputs.spec.template.spec.containers[0].image).toBe('docker.io/istio/examples-bookinfo-ratings-v1:1.20.3');
});
