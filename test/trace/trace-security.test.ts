import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { Mesh, MeshformError, MeshGateway, MeshService, ServicePort } from '../../src/index.js';
import { createTracer } from '../../src/trace/index.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000) / 10;
let traced = 0;
afterAll(() => console.log(`security property: ${RUNS} meshes, ${traced} requests traced`));

/** A random mesh: services on a few shared ports, who calls whom, and which services the edge gateway routes to. */
const meshShape = fc.integer({ min: 2, max: 5 }).chain((size) =>
  fc.record({
    ports: fc.array(fc.constantFrom(8080, 9080, 5000), { minLength: size, maxLength: size }),
    calls: fc.uniqueArray(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)).filter(([from, to]) => from !== to), { maxLength: size * 2, selector: ([from, to]) => `${from}>${to}` }),
    exposed: fc.uniqueArray(fc.nat(size - 1), { maxLength: size }),
    scopeSidecars: fc.boolean(),
  }),
);

// Every pair of workloads and every gateway host: allowed exactly what the program declared.
it('traces every call between workloads, and every gateway host, to exactly what the program declared', () => {
  fc.assert(
    fc.property(meshShape, ({ ports, calls, exposed, scopeSidecars }) => {
      const app = Testing.app();
      const chart = new Chart(app, 'property');
      const mesh = new Mesh(chart, 'Mesh', { namespace: 'shop', injection: 'auto', scopeSidecars });
      const services = ports.map((port, index) => new MeshService(chart, `s${index}`, { mesh, image: `registry.example.com/s${index}:1`, ports: [ServicePort.http(port)] }));
      for (const [from, to] of calls) services[from]!.connectTo(services[to]!);
      if (exposed.length > 0) {
        const edge = new MeshGateway(chart, 'edge', { mesh, http: { hosts: exposed.map((index) => `s${index}.example.com`) } });
        for (const index of exposed) edge.route({ host: `s${index}.example.com`, to: services[index]! });
      }
      const objects = Testing.synth(chart) as KubeObject[];
      const tracer = createTracer(objects);
      const deployment = (index: number) => objects.find((object) => object.kind === 'Deployment' && object.spec?.template?.metadata?.labels?.app === `s${index}`)!;
      for (let from = 0; from < ports.length; from++) {
        for (let to = 0; to < ports.length; to++) {
          if (from === to) continue;
          const result = tracer.traceUrl({ url: `http://s${to}:${ports[to]}/`, from: `Deployment shop/${deployment(from).metadata!.name}` });
          traced++;
          const declared = calls.some(([a, b]) => a === from && b === to);
          expect({ from, to, reached: result.error === null && result.cluster === `outbound|${ports[to]}||s${to}.shop.svc.cluster.local` }).toEqual({ from, to, reached: declared });
          if (!declared) expect(['rbac', 'mtls']).toContain(result.error);
        }
      }
      for (let index = 0; index < ports.length; index++) {
        traced++;
        if (exposed.includes(index)) {
          const result = tracer.traceUrl({ url: `http://s${index}.example.com/` });
          expect({ cluster: result.cluster, error: result.error }).toEqual({ cluster: `outbound|${ports[index]}||s${index}.shop.svc.cluster.local`, error: null });
        } else {
          // No Gateway serves the host: there is no way in.
          expect(() => tracer.traceUrl({ url: `http://s${index}.example.com/` })).toThrow(MeshformError);
        }
      }
    }),
    { numRuns: RUNS },
  );
});
