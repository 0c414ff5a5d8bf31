// A Pulumi program under Pulumi's mocks, run in its own process: a refused secret fails the
// registration as an unhandled rejection, which `pulumi up` reports and this program prints.
import { installMocks, settled } from '../../support/pulumi-mocks.js';

const registered = await installMocks();
const refusals = new Set<string>();
process.on('unhandledRejection', (error) => refusals.add(error instanceof Error ? error.message : String(error)));

const pulumi = await import('@pulumi/pulumi');
const { MeshStack } = await import('../../../src/pulumi/index.js');
const { Mesh, MeshService, TaskPodTemplate } = await import('../../../src/index.js');
const { ApiObject } = await import('cdk8s');

const password = pulumi.secret('hunter2');
new MeshStack('secrets', {
  build: (chart, { value }) => {
    const mesh = new Mesh(chart, 'mesh', { namespace: 'etl' });
    new TaskPodTemplate(chart, 'task', { mesh, image: 'etl:1', env: { DB_PASSWORD: value(password), MODE: value(pulumi.output('batch')) } });
    new MeshService(chart, 'api', { mesh, image: 'api:1', port: 80, env: { TOKEN: `Bearer ${value(password)}` } });
    new MeshService(chart, 'web', { mesh, image: value(pulumi.output('web:1')), port: 80 });
    new ApiObject(chart, 'credentials', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'etl' }, stringData: { password: value(password) } });
  },
});
await settled();
console.log(
  JSON.stringify({
    refusals: [...refusals].sort(),
    registered: registered.map((resource) => `${resource.inputs?.kind} ${resource.inputs?.metadata?.name}`).sort(),
    leaked: registered.filter((resource) => resource.inputs?.kind !== 'Secret' && JSON.stringify(resource.inputs).includes('hunter2')).map((resource) => resource.name),
  }),
);
