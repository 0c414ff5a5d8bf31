import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MeshApiObject } from '../../imports/index.js';
import { MeshService } from '../../src/index.js';

const image = 'example.com/app:1.0';

describe('render reuse between the synth-time checks and the write', () => {
  afterEach(() => vi.restoreAllMocks());

  it('renders each meshform object once per synth, and plain ApiObjects as cdk8s does', () => {
    const chart = new Chart(Testing.app(), 'test');
    new MeshService(chart, 'api', { image, port: 80 });
    new ApiObject(chart, 'plain', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } });
    const renders = vi.spyOn(ApiObject.prototype, 'toJson');
    const objects = Testing.synth(chart);
    const count = (kind: string) => renders.mock.contexts.filter((object) => (object as ApiObject).kind === kind).length;
    expect(objects.map((o) => o.kind)).toContain('Deployment');
    for (const kind of ['Service', 'ServiceAccount', 'Deployment', 'DestinationRule', 'AuthorizationPolicy']) expect(count(kind), kind).toBe(1);
    expect(count('ConfigMap')).toBe(2);
  });

  it('renders afresh after a JSON patch, a metadata change or a change of a meshform construct', () => {
    const chart = new Chart(Testing.app(), 'test');
    const api = new MeshService(chart, 'api', { image, port: 80 });
    const web = new MeshService(chart, 'web', { image, port: 80 });
    const service = api.service as MeshApiObject;
    const policy = chart.node.findChild('api').node.findChild('AuthorizationPolicy') as MeshApiObject;

    service.renderForCheck();
    service.addJsonPatch(JsonPatch.add('/metadata/annotations', { reviewed: 'yes' }));
    expect(service.toJson().metadata.annotations).toEqual({ reviewed: 'yes' });

    service.renderForCheck();
    service.metadata.addLabel('team', 'shop');
    expect(service.toJson().metadata.labels).toEqual({ app: 'api', team: 'shop' });

    policy.renderForCheck();
    web.connectTo(api);
    expect((policy.toJson() as any).spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/default/sa/web'] } }] }]);

    // Unchanged, the render is reused once, then made anew.
    const checked = service.renderForCheck();
    expect(service.toJson()).toBe(checked);
    expect(service.toJson()).not.toBe(checked);
    expect(service.toJson()).toEqual(checked);
  });
});
