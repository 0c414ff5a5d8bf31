import { appProbers, rewriteAppProbes } from './app-probes.js';
import { type InjectionValues, type InjectionValuesOverride, resolveValues } from './injection-values.js';
import { goOrdered } from './go-json.js';
import { mergeByName, overlayContainer } from './merge-container.js';
import type { MeshConfig } from '../core/index.js';
import { effectiveProxyConfig } from './proxy-config.js';
import type { Container, EnvVar, PodSpec, ResourceRequirements } from './pod-types.js';
import { canonicalQuantity } from './quantity.js';
import type { PodOwner, SidecarParts } from './templates/template-input.js';
import { renderTemplate, templateName } from './templates/render-template.js';
import { assertInjectableAnnotations } from './injectable-annotations.js';

/** How to inject: Istio's Helm values, the mesh config, and the sidecar layout. */
export interface InjectionOptions {
  /**
   * Overrides of the injector's Helm values (hub, tag, proxy resources, …).
   * @default - Istio's defaults
   */
  readonly values?: InjectionValuesOverride;
  /**
   * The mesh config (`defaultConfig` is the proxy config every pod starts from).
   * @default - Istio's defaults
   */
  readonly meshConfig?: MeshConfig;
  /**
   * Native sidecars (istio-proxy as an init container with `restartPolicy: Always`, Kubernetes
   * ≥ 1.29), or the classic layout (istio-proxy as a container) when false. A pod's
   * `sidecar.istio.io/nativeSidecar` annotation decides for that pod.
   * @default true
   */
  readonly nativeSidecars?: boolean;
}

/** A pod template: metadata and spec. */
export interface PodTemplate {
  readonly metadata?: PodMetadata;
  readonly spec: PodSpec;
}

/** The metadata of a pod template: the labels and annotations injection reads, the rest kept. */
export interface PodMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

const PROXY = 'istio-proxy';

/**
 * Injects the sidecar into a pod template exactly as Istio's injector does: renders the sidecar
 * template, merges it into the pod (a user's own `istio-proxy` container overrides it), merges
 * Prometheus scraping, points HTTP/TCP/gRPC probes at pilot-agent, records the status annotation
 * and puts the containers in Istio's order. Pure: the input is not changed.
 */
export function injectPodTemplate(template: PodTemplate, owner: PodOwner, options: InjectionOptions = {}): { metadata: PodMetadata; spec: PodSpec } {
  const values = resolveValues(options.values);
  const mesh = options.meshConfig ?? {};
  const labels = template.metadata?.labels ?? {};
  const annotations = template.metadata?.annotations ?? {};
  assertInjectableAnnotations(annotations, `${owner.kind} ${owner.name}`);
  const proxyConfig = effectiveProxyConfig(mesh, annotations['proxy.istio.io/config'], `${owner.kind} ${owner.name}`);
  const userProxy = [...(template.spec.containers ?? []), ...(template.spec.initContainers ?? [])].find((c) => c?.name === PROXY);
  const parts = renderTemplate(templateName(annotations, `${owner.kind} ${owner.name}`), {
    proxyUid: userProxy?.securityContext?.runAsUser,
    proxyGid: userProxy?.securityContext?.runAsGroup,
    labels,
    annotations,
    spec: template.spec,
    owner,
    values,
    mesh,
    proxyConfig,
    nativeSidecars: options.nativeSidecars ?? true,
  });

  // Containers the user wrote under the names of injected ones (istio-proxy, istio-init) override them.
  const injectedNames = new Set([...parts.containers, ...parts.initContainers].map((c) => c.name));
  const userContainers = [...(template.spec.containers ?? []), ...(template.spec.initContainers ?? [])].map(withEmptyResources);
  const overrides = new Map<string, Container>(userContainers.filter((c) => injectedNames.has(c?.name)).map((c) => [c.name, c]));
  const withOverrides = (containers: readonly Container[]) => containers.map((c) => overlayContainer(c, overrides.get(c.name)));
  const appContainers = (template.spec.containers ?? []).filter((c) => !injectedNames.has(c?.name)).map(withEmptyResources);
  const appInits = (template.spec.initContainers ?? []).filter((c) => !injectedNames.has(c?.name)).map(withEmptyResources);

  let containers = [...appContainers, ...withOverrides(parts.containers)];
  let initContainers = mergeByName(appInits, withOverrides(parts.initContainers).map(withEmptyResources));
  // Istio lays the pod over the rendered template: its volumes come first, the pod's after.
  const volumes = mergeByName(parts.volumes, template.spec.volumes ?? []);
  const imagePullSecrets = mergeByName(template.spec.imagePullSecrets ?? [], parts.imagePullSecrets);

  const podAnnotations: Record<string, string> = { ...annotations, ...parts.annotations };
  if (overrides.size > 0) podAnnotations['proxy.istio.io/overrides'] = overridesAnnotation(parts, overrides);
  const proxyEnv: EnvVar[] = [];
  applyPrometheusMerge(podAnnotations, mesh, values, proxyEnv);

  const statusPort = Number(annotations['status.sidecar.istio.io/port'] ?? values.global.proxy.statusPort);
  const rewrite = (podAnnotations['sidecar.istio.io/rewriteAppHTTPProbers'] ?? String(values.sidecarInjectorWebhook.rewriteAppHTTPProbe)) !== 'false';
  if (rewrite) {
    // Sidecars of the application (init containers that keep running) are probed like containers.
    const isSidecar = (c: Container) => c.restartPolicy === 'Always' && c.name !== PROXY;
    const probed = [...containers, ...initContainers.filter(isSidecar)];
    const probers = appProbers(probed, Number(mesh.defaultConfig?.statusPort ?? values.global.proxy.statusPort));
    if (probers) proxyEnv.push({ name: 'ISTIO_KUBE_APP_PROBERS', value: probers });
    containers = rewriteAppProbes(containers, statusPort);
    initContainers = initContainers.map((c) => (isSidecar(c) ? rewriteAppProbes([c], statusPort)[0]! : c));
  }
  const addEnv = (c: Container): Container => (c.name === PROXY && proxyEnv.length > 0 ? { ...c, env: [...(c.env ?? []), ...proxyEnv] } : c);
  containers = containers.map(addEnv);
  initContainers = initContainers.map(addEnv);

  podAnnotations['sidecar.istio.io/status'] = JSON.stringify({
    initContainers: parts.initContainers.length > 0 ? parts.initContainers.map((c) => c.name) : null,
    containers: parts.containers.length > 0 ? parts.containers.map((c) => c.name) : null,
    volumes: parts.volumes.map((v) => v.name),
    imagePullSecrets: parts.imagePullSecrets.length > 0 ? parts.imagePullSecrets.map((s) => s.name) : null,
    revision: values.revision || 'default',
  });

  const hold = Boolean(proxyConfig.holdApplicationUntilProxyStarts || values.global.proxy.holdApplicationUntilProxyStarts);
  containers = moveContainer(containers, PROXY, hold ? 'first' : 'last');
  if (initContainers.some((c) => c.name === PROXY)) {
    // Native sidecar: iptables setup, then the proxy, then the application's init containers (in the mesh).
    for (const name of ['enable-core-dump', PROXY, 'istio-validation', 'istio-init']) initContainers = moveContainer(initContainers, name, 'first');
  } else {
    // Classic: iptables last, so that init containers are not cut off from the network.
    for (const name of ['istio-validation', 'istio-init', 'enable-core-dump']) initContainers = moveContainer(initContainers, name, 'last');
  }

  const { containers: _c, initContainers: _i, volumes: _v, imagePullSecrets: _s, ...restOfSpec } = template.spec;
  const securityContext = parts.podSecurityContext ? { securityContext: { ...parts.podSecurityContext, ...restOfSpec.securityContext } } : {};
  return {
    metadata: { ...template.metadata, labels: { ...labels, ...parts.labels }, annotations: podAnnotations },
    spec: {
      ...restOfSpec,
      ...securityContext,
      containers,
      ...(initContainers.length > 0 || parts.initContainers.length > 0 || template.spec.initContainers ? { initContainers } : {}),
      ...(volumes.length > 0 ? { volumes } : {}),
      ...(imagePullSecrets.length > 0 ? { imagePullSecrets } : {}),
    },
  };
}

/** The user's overriding containers as Istio records them, grouped by where they end up. */
function overridesAnnotation(parts: SidecarParts, overrides: ReadonlyMap<string, Container>): string {
  const recorded = (list: readonly Container[]) =>
    list
      .filter((c) => overrides.has(c.name))
      .map((c) => {
        const { image, ...rest } = overrides.get(c.name)!;
        return goOrdered(image === 'auto' || image === undefined ? rest : { ...rest, image });
      });
  const initContainers = recorded(parts.initContainers);
  const containers = recorded(parts.containers);
  return JSON.stringify({ ...(containers.length > 0 ? { containers } : {}), ...(initContainers.length > 0 ? { initContainers } : {}) });
}

/** Go writes an unset ResourceRequirements as `resources: {}`; kube-inject output has it on every container. */
export function withEmptyResources(container: Container): Container {
  return { ...container, resources: canonicalResources(container.resources ?? {}) };
}

/** Resource quantities as the API server writes them back (`3000m` → `3`). */
function canonicalResources(resources: ResourceRequirements): ResourceRequirements {
  const canonical = (amounts: Readonly<Record<string, string>> | undefined) =>
    amounts && Object.fromEntries(Object.entries(amounts).map(([name, quantity]) => [name, canonicalQuantity(quantity)]));
  return {
    ...resources,
    ...(resources.limits ? { limits: canonical(resources.limits) } : {}),
    ...(resources.requests ? { requests: canonical(resources.requests) } : {}),
  };
}

function moveContainer(containers: readonly Container[], name: string, where: 'first' | 'last'): Container[] {
  const found = containers.find((c) => c.name === name);
  if (!found) return [...containers];
  const rest = containers.filter((c) => c !== found);
  return where === 'first' ? [found, ...rest] : [...rest, found];
}

const SCRAPE_KEYS = ['prometheus.io/scrape', 'prometheus.io.scrape'];

/**
 * Prometheus merge: pilot-agent serves application and Envoy metrics together on its status
 * port, so the pod's scrape annotations point there and the original ones go to pilot-agent.
 */
function applyPrometheusMerge(annotations: Record<string, string>, mesh: MeshConfig, values: InjectionValues, proxyEnv: EnvVar[]): void {
  if (SCRAPE_KEYS.some((key) => annotations[key] === 'false')) return;
  if (mesh.enablePrometheusMerge === false || annotations['prometheus.istio.io/merge-metrics'] === 'false') return;
  const target = String(mesh.defaultConfig?.statusPort ?? values.global.proxy.statusPort);
  if (annotations['prometheus.io/port'] === target) return;
  const original: Record<string, unknown> = {};
  const targets = annotations['prometheus.istio.io/scrape-targets'];
  const parsedTargets = targets
    ? targets.split(',').map((entry) => {
        const [port, path] = entry.trim().split(':');
        return { port: port!, ...(path ? { path } : {}) };
      })
    : undefined;
  const scrape = annotations['prometheus.io/scrape'];
  const path = annotations['prometheus.io/path'] ?? parsedTargets?.[0]?.path;
  const port = annotations['prometheus.io/port'] ?? parsedTargets?.[0]?.port;
  if (scrape) original.scrape = scrape;
  if (path) original.path = path;
  if (port) original.port = port;
  if (parsedTargets) original.targets = parsedTargets;
  if (Object.keys(original).length > 0) proxyEnv.push({ name: 'ISTIO_PROMETHEUS_ANNOTATIONS', value: JSON.stringify(original) });
  delete annotations['prometheus.istio.io/scrape-targets'];
  annotations['prometheus.io/port'] = target;
  annotations['prometheus.io/path'] = '/stats/prometheus';
  annotations['prometheus.io/scrape'] = 'true';
}
