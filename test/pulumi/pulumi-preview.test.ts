import { beforeAll, expect, it } from 'vitest';
import { installMocks, settled, type RegisteredResource } from '../support/pulumi-mocks.js';

let registered: RegisteredResource[];

beforeAll(async () => {
  registered = await installMocks({ preview: true });
});

it('previews a stack whose image is not known until apply', async () => {
  const pulumi = await import('@pulumi/pulumi');
  const { MeshStack } = await import('../../src/pulumi/index.js');
  const { buildBookinfo } = await import('../../examples/bookinfo.js');
  // An Output that stays unknown during preview, like the digest of an image built in the same program.
  const digest = pulumi.output(pulumi.unknown as unknown as string);
  new MeshStack('preview', {
    build: (chart, { value }) => buildBookinfo(chart, { image: (component) => value(pulumi.interpolate`registry/${component}@${digest}`) }),
  });
  await settled();
  const children = registered.filter((r) => r.parent.endsWith('MeshStack::preview'));
  expect(children.length).toBeGreaterThan(20);
  // Known fields are there; the unknown image is left for the engine to fill in at apply.
  const deployment = children.find((r) => r.inputs.kind === 'Deployment')!;
  expect(deployment.inputs.metadata.namespace).toBe('bookinfo');
  expect(pulumi.isUnknown(deployment.inputs.spec.template.spec.containers[0].image)).toBe(true);
});
