import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLES } from '../../examples/index.js';
import { analyze, EgressGateway, Mesh, MeshGateway, MeshService, TaskPodTemplate } from '../../src/index.js';
import { SUPPRESS_ANNOTATION } from '../../src/analysis/suppression.js';
import { synth, synthExample, type Manifest } from '../support/synth.js';

const image = 'registry.example.com/app:1.0';
const origin = (object: Manifest) => `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;

/** Each object's suppressed codes, as `code origin`. */
function suppressed(objects: Manifest[]): string[] {
  return objects.flatMap((object) => (object.metadata.annotations?.[SUPPRESS_ANNOTATION] ?? '').split(',').filter(Boolean).map((code) => `${code} ${origin(object)}`));
}

function stripped(objects: Manifest[]): Manifest[] {
  return objects.map((object) => {
    const { [SUPPRESS_ANNOTATION]: _dropped, ...annotations } = object.metadata.annotations ?? {};
    return { ...object, metadata: { ...object.metadata, annotations } };
  });
}

// The constructs suppress a finding only where it is about objects the program does not hold:
// pods a controller creates at run time, a gateway installed elsewhere. Strip the annotations and
// add those objects, and the finding must be gone: it was false for that object, not a real fault.
describe('the findings the constructs suppress', () => {
  const objects = synth((chart) => {
    MeshGateway.useInstalledGateway(chart, { identity: { serviceAccountName: 'edge-gateway', namespace: 'edge' }, podLabels: { istio: 'edge-gateway' } });
    const mesh = new Mesh(chart, 'mesh', { namespace: 'shop', scopeSidecars: true });
    const web = new MeshService(chart, 'web', { mesh, image, port: 80 });
    const gateway = new MeshGateway(chart, 'public', { mesh, http: { hosts: ['shop.example.com'] } });
    gateway.route({ host: 'shop.example.com', to: web });
    gateway.requireJwt({ issuer: 'https://auth.example.com/', jwksUri: 'https://auth.example.com/jwks.json' });
    const task = new TaskPodTemplate(chart, 'task', { mesh, image });
    task.connectTo(web);
    const partner = new EgressGateway(chart, 'partner', { mesh, host: 'api.partner.example.com', existing: { namespace: 'egress', selector: { istio: 'egressgateway' }, serviceName: 'istio-egressgateway' } });
    web.connectTo(partner);
  });
  const outside: Manifest[] = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'edge-gateway-0', namespace: 'edge', labels: { istio: 'edge-gateway' } }, spec: { serviceAccountName: 'edge-gateway', containers: [{ name: 'istio-proxy', image: 'auto' }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'egress-0', namespace: 'egress', labels: { istio: 'egressgateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-egressgateway', namespace: 'egress' }, spec: { selector: { istio: 'egressgateway' }, ports: [{ name: 'tls', port: 443 }, { name: 'http2', port: 80 }] } },
    // The task pod, as the controller creates it from the template file.
    ...objects.filter((object) => object.kind === 'ConfigMap').map((configMap) => {
      const pod = parse(Object.values<string>(configMap.data)[0]!);
      return { ...pod, metadata: { ...pod.metadata, namespace: 'shop' } } as Manifest;
    }),
  ];

  it('suppress only codes that can be false for want of those objects', () => {
    expect(suppressed(objects).sort()).toEqual(
      [
        'IST0101 Sidecar shop/task',
        'IST0101 Gateway shop/partner',
        'IST0101 VirtualService shop/partner',
        'IST0174 DestinationRule shop/partner-gateway',
        'IST0127 AuthorizationPolicy edge/public-require-jwt',
        'IST0127 AuthorizationPolicy egress/partner',
      ].sort(),
    );
  });

  it('are found without the annotations and the outside objects, and gone with those objects', () => {
    const hidden = new Set(suppressed(objects));
    const found = (input: Manifest[]) => analyze(input as never).map((d) => `${d.code} ${d.origin}`).filter((finding) => hidden.has(finding));
    expect(new Set(found(stripped(objects)))).toEqual(hidden);
    expect(found([...stripped(objects), ...outside])).toEqual([]);
  });

  it('are the only suppressions in the examples', () => {
    const allowed = new Set(['Sidecar IST0101', 'Gateway IST0101', 'VirtualService IST0101', 'DestinationRule IST0174', 'AuthorizationPolicy IST0127']);
    for (const example of Object.values(EXAMPLES)) {
      for (const finding of suppressed(synthExample(example))) expect(allowed).toContain(`${finding.split(' ')[1]} ${finding.split(' ')[0]}`);
    }
  });
});
