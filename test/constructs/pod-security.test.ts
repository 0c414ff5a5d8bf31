import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLES } from '../../examples/index.js';
import { Mesh, MeshService, MeshWorker, ServicePort } from '../../src/index.js';
import { restrictedViolations } from '../support/pod-security-standard.js';
import { errorOf, find, synth, synthExample, type Manifest } from '../support/synth.js';

const image = 'example.com/app:1.0';

/** The pod specs of a synthesized program, with the workload each belongs to. */
function podSpecs(objects: Manifest[]): { owner: string; spec: any }[] {
  const pods: { owner: string; spec: any }[] = [];
  for (const object of objects) {
    const owner = `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;
    if (object.kind === 'CronJob') pods.push({ owner, spec: object.spec.jobTemplate.spec.template.spec });
    else if (object.spec?.template?.spec) pods.push({ owner, spec: object.spec.template.spec });
    if (object.kind === 'ConfigMap') {
      for (const [file, text] of Object.entries<string>(object.data ?? {})) {
        const document = file.endsWith('.yaml') ? parse(text) : undefined;
        if (document?.kind === 'Pod') pods.push({ owner: `${owner} ${file}`, spec: document.spec });
      }
    }
  }
  return pods;
}

describe('restricted pod security by default', () => {
  // istio-init of a manually injected pod without the Istio CNI is the one exception (see below).
  it.each(Object.keys(EXAMPLES))('every pod of example %s meets the restricted standard', (name) => {
    const pods = podSpecs(synthExample(EXAMPLES[name]!));
    expect(pods.length).toBeGreaterThan(0);
    const problems = pods.map((pod) => ({ owner: pod.owner, problems: restrictedViolations(pod.spec).filter((problem) => !problem.startsWith('container istio-init:')) }));
    expect(problems.filter((pod) => pod.problems.length > 0)).toEqual([]);
  });

  it('renders the container and pod defaults, and no API token without kubernetesApiAccess', () => {
    const objects = synth((chart) => new MeshService(chart, 'api', { mesh: new Mesh(chart, 'mesh', { namespace: 'shop' }), image, port: 80 }));
    const spec = find(objects, 'Deployment', 'api-v1').spec.template.spec;
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
  });

  it('mounts the token where the workload calls the Kubernetes API, or where asked', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop' });
      new MeshWorker(chart, 'elector', { mesh, image, kubernetesApiAccess: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get'] }] });
      new MeshService(chart, 'legacy', { mesh, image, port: 80, automountServiceAccountToken: true });
      new MeshService(chart, 'plain', { mesh, image, port: 80, kubernetesApiAccess: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], automountServiceAccountToken: false });
    });
    expect(find(objects, 'Deployment', 'elector').spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(find(objects, 'Deployment', 'legacy-v1').spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(find(objects, 'Deployment', 'plain-v1').spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it('lets a given field replace its default, and restrictedPodSecurity: false drop them all', () => {
    const objects = synth((chart) => {
      const mesh = new Mesh(chart, 'mesh', { namespace: 'shop' });
      new MeshService(chart, 'web', {
        mesh,
        image,
        port: 80,
        securityContext: { capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
        podSecurityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/web.json' } },
      });
      new MeshService(chart, 'root', { mesh, image, port: 80, runAsUser: 0, restrictedPodSecurity: false });
    });
    const web = find(objects, 'Deployment', 'web-v1').spec.template.spec;
    expect(web.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(web.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/web.json' });
    expect(restrictedViolations(web)).toEqual([]);
    const root = find(objects, 'Deployment', 'root-v1').spec.template.spec;
    expect(root.containers[0].securityContext).toEqual({ runAsUser: 0 });
    expect(root.securityContext).toBeUndefined();
    expect(restrictedViolations(root)).toContain('container root: runAsUser 0');
  });

  it('refuses root with the restricted defaults, which the kubelet would refuse to start', () => {
    const error = errorOf((chart) => new MeshService(chart, 'db', { mesh: new Mesh(chart, 'mesh', { namespace: 'shop' }), image, port: 80, runAsUser: 0 }));
    expect(error.field).toBe('runAsUser');
    expect(error.message).toContain('root');
    expect(error.message).toContain('restrictedPodSecurity: false');
    const podLevel = errorOf((chart) => new MeshService(chart, 'db', { mesh: new Mesh(chart, 'mesh', { namespace: 'shop' }), image, port: 80, podSecurityContext: { runAsUser: 0 } }));
    expect(podLevel.field).toBe('podSecurityContext.runAsUser');
  });

  it('a manually injected pod meets the standard with the Istio CNI; without it, only istio-init breaks it, by NET_ADMIN and NET_RAW', () => {
    const build = (cni: boolean) =>
      synth((chart) => {
        const mesh = new Mesh(chart, 'mesh', { namespace: 'shop', injection: 'manual', injectionValues: { pilot: { cni: { enabled: cni } } } });
        new MeshService(chart, 'api', { mesh, image, ports: [ServicePort.http(8080)] });
      });
    const withCni = find(build(true), 'Deployment', 'api-v1').spec.template.spec;
    expect(withCni.initContainers.map((container: any) => container.name)).toContain('istio-validation');
    expect(restrictedViolations(withCni)).toEqual([]);
    const problems = restrictedViolations(find(build(false), 'Deployment', 'api-v1').spec.template.spec);
    expect(problems).toContain('container istio-init: adds NET_ADMIN');
    expect(problems).toContain('container istio-init: adds NET_RAW');
    expect(problems.filter((problem) => !problem.startsWith('container istio-init:'))).toEqual([]);
  });
});
