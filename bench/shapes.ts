/**
 * The meshes the benchmark builds: what a platform team declares in one program (the
 * one-namespace shape), and many small teams side by side (the many-namespace shape).
 */
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { bookinfo } from '../examples/bookinfo.js';
import { CanaryService, Mesh, MeshGateway } from '../src/index.js';
import type { KubeObject } from '../src/core/index.js';

/**
 * `services` CanaryServices (v1 80 %, v2 20 %) in ONE namespace behind one gateway, each routed
 * from the gateway and each calling the next: the shape platform teams report as slow.
 */
export function buildOneNamespaceMesh(app: App, services: number, options: { readonly scopeSidecars?: boolean; readonly into?: Chart } = {}): Chart {
  // `into`: a chart made elsewhere (a MeshStack's).
  const chart = options.into ?? new Chart(app, 'platform');
  const mesh = new Mesh(chart, 'platform', { scopeSidecars: options.scopeSidecars });
  const gateway = new MeshGateway(chart, 'edge', { mesh, http: { hosts: ['*.example.com'] } });
  let previous: CanaryService | undefined;
  for (let i = 0; i < services; i++) {
    const service = new CanaryService(chart, `svc-${i}`, {
      mesh,
      port: 8080,
      versions: [
        { name: 'v1', image: `example.com/svc-${i}:1`, weight: 80 },
        { name: 'v2', image: `example.com/svc-${i}:2`, weight: 20 },
      ],
    });
    gateway.route({ host: `svc-${i}.example.com`, to: service });
    previous?.connectTo(service);
    previous = service;
  }
  return chart;
}

/**
 * `services` CanaryServices, `perNamespace` to a namespace (one team each), each namespace with
 * its own Gateway on the installed ingress gateway and its services calling one another.
 */
export function buildManyNamespaceMesh(app: App, services: number, perNamespace = 10): Chart {
  const chart = new Chart(app, 'platform');
  for (let team = 0; team * perNamespace < services; team++) {
    const mesh = new Mesh(chart, `team-${team}`);
    const gateway = new MeshGateway(chart, `team-${team}-edge`, { mesh, http: { hosts: [`team-${team}.example.com`] } });
    let previous: CanaryService | undefined;
    for (let i = team * perNamespace; i < Math.min(services, (team + 1) * perNamespace); i++) {
      const service = new CanaryService(chart, `team-${team}-svc-${i}`, {
        mesh,
        name: `svc-${i}`,
        port: 8080,
        versions: [
          { name: 'v1', image: `example.com/svc-${i}:1`, weight: 80 },
          { name: 'v2', image: `example.com/svc-${i}:2`, weight: 20 },
        ],
      });
      gateway.route({ host: `team-${team}.example.com`, path: `/svc-${i}`, to: service });
      previous?.connectTo(service);
      previous = service;
    }
  }
  return chart;
}

/** The same objects as plain cdk8s ApiObjects: what synthesis costs without meshform. */
export function buildRawObjects(app: App, objects: readonly KubeObject[]): Chart {
  const chart = new Chart(app, 'platform');
  objects.forEach((object, index) => new ApiObject(chart, `o${index}`, object as never));
  return chart;
}

/** Copies of the synthesized Bookinfo, each in its own namespace with its own gateway host. */
export function manyNamespaceObjects(count: number): KubeObject[] {
  const template = JSON.stringify(Testing.synth(bookinfo(Testing.app())));
  const objects: KubeObject[] = [];
  for (let i = 0; objects.length < count; i++) {
    const copy = template.replaceAll('bookinfo', `bookinfo-${i}`).replaceAll('"*"', `"shop-${i}.example.com"`);
    // One mesh-wide PeerAuthentication for all the copies, as in one cluster.
    const isMeshWide = (object: KubeObject) => object.kind === 'PeerAuthentication' && object.metadata?.namespace === 'istio-system';
    objects.push(...(JSON.parse(copy) as KubeObject[]).filter((object) => i === 0 || !isMeshWide(object)));
  }
  return objects.slice(0, count);
}
