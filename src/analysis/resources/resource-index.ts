import { appendTo, kindKey, type KubeObject, type Labels, nameOf, namespaceOf, selectorMatches } from '../../core/index.js';

/** Kinds the analyzers read, as `<group>/<Kind>` (the core group is empty). */
export const KINDS = {
  Pod: '/Pod',
  Service: '/Service',
  Namespace: '/Namespace',
  Secret: '/Secret',
  ConfigMap: '/ConfigMap',
  Node: '/Node',
  Deployment: 'apps/Deployment',
  Gateway: 'networking.istio.io/Gateway',
  VirtualService: 'networking.istio.io/VirtualService',
  DestinationRule: 'networking.istio.io/DestinationRule',
  ServiceEntry: 'networking.istio.io/ServiceEntry',
  Sidecar: 'networking.istio.io/Sidecar',
  EnvoyFilter: 'networking.istio.io/EnvoyFilter',
  ProxyConfig: 'networking.istio.io/ProxyConfig',
  PeerAuthentication: 'security.istio.io/PeerAuthentication',
  AuthorizationPolicy: 'security.istio.io/AuthorizationPolicy',
  RequestAuthentication: 'security.istio.io/RequestAuthentication',
  Telemetry: 'telemetry.istio.io/Telemetry',
  WasmPlugin: 'extensions.istio.io/WasmPlugin',
  KubernetesGateway: 'gateway.networking.k8s.io/Gateway',
  HTTPRoute: 'gateway.networking.k8s.io/HTTPRoute',
  GRPCRoute: 'gateway.networking.k8s.io/GRPCRoute',
  WorkloadEntry: 'networking.istio.io/WorkloadEntry',
  Certificate: 'cert-manager.io/Certificate',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  ValidatingWebhookConfiguration: 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
} as const;

/** Kinds whose pod template stands for pods that do not exist yet in a set of manifests. */
const POD_TEMPLATE_PATHS: Readonly<Record<string, (object: KubeObject) => any>> = {
  'apps/Deployment': (o) => o.spec?.template,
  'apps/StatefulSet': (o) => o.spec?.template,
  'apps/DaemonSet': (o) => o.spec?.template,
  'apps/ReplicaSet': (o) => o.spec?.template,
  'batch/Job': (o) => o.spec?.template,
  'batch/CronJob': (o) => o.spec?.jobTemplate?.spec?.template,
};

/** A pod, real or standing for the pods a workload will create from its template. */
export interface PodView {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly spec: any;
  /** The Pod itself, or the workload whose template this is. */
  readonly owner: KubeObject;
  readonly fromTemplate: boolean;
}

/** Objects indexed by kind, namespace and name, plus the pods they run. */
export class ResourceIndex {
  private readonly byKind = new Map<string, KubeObject[]>();
  private readonly byName = new Map<string, KubeObject>();
  private readonly podsByNamespace = new Map<string, PodView[]>();
  /** Pods by namespace (`*` for all), label key and value: selectors are matched through it. */
  private readonly podsByLabel = new Map<string, Map<string, Map<string, PodView[]>>>();
  public readonly pods: readonly PodView[];

  public constructor(public readonly objects: readonly KubeObject[]) {
    const pods: PodView[] = [];
    for (const object of objects) {
      const key = kindKey(object);
      let list = this.byKind.get(key);
      if (!list) this.byKind.set(key, (list = []));
      list.push(object);
      this.byName.set(`${key}|${namespaceOf(object)}|${nameOf(object)}`, object);
      const pod = podViewOf(key, object);
      if (pod) pods.push(pod);
    }
    this.pods = pods;
    for (const pod of pods) {
      appendTo(this.podsByNamespace, pod.namespace, pod);
      for (const [key, value] of Object.entries(pod.labels)) {
        this.indexLabel(pod.namespace, key, String(value), pod);
        this.indexLabel(ALL_NAMESPACES, key, String(value), pod);
      }
    }
  }

  /** Every object of a kind, in input order. */
  public ofKind(kind: string): readonly KubeObject[] {
    return this.byKind.get(kind) ?? [];
  }

  public find(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.byName.get(`${kind}|${namespace}|${name}`);
  }

  public podsIn(namespace: string): readonly PodView[] {
    return this.podsByNamespace.get(namespace) ?? [];
  }

  /**
   * Pods (real or from templates) whose labels the selector matches, optionally within one
   * namespace. Read-only and often the index's own list: a selector of one label, asked once per
   * DestinationRule subset in a namespace of thousands of services, must not copy it each time.
   */
  public podsMatching(selector: Labels | undefined, namespace?: string): readonly PodView[] {
    const labels = Object.entries(selector ?? {});
    if (labels.length === 0) return namespace === undefined ? this.pods : this.podsIn(namespace);
    // Start from the rarest label pair of the selector, then check the others.
    let candidates: readonly PodView[] | undefined;
    const byKey = this.podsByLabel.get(namespace ?? ALL_NAMESPACES);
    for (const [key, value] of labels) {
      const list = byKey?.get(key)?.get(String(value)) ?? [];
      if (!candidates || list.length < candidates.length) candidates = list;
      if (candidates.length === 0) return [];
    }
    return labels.length === 1 ? candidates! : candidates!.filter((pod) => selectorMatches(selector, pod.labels));
  }

  private indexLabel(namespace: string, key: string, value: string, pod: PodView): void {
    let byKey = this.podsByLabel.get(namespace);
    if (!byKey) this.podsByLabel.set(namespace, (byKey = new Map()));
    let byValue = byKey.get(key);
    if (!byValue) byKey.set(key, (byValue = new Map()));
    appendTo(byValue, value, pod);
  }

  /** Labels of a Namespace object in the input, or undefined when it is not there. */
  public namespaceLabels(namespace: string): Labels | undefined {
    // Namespaces are cluster-scoped: they are indexed under the default namespace.
    const object = this.find(KINDS.Namespace, 'default', namespace);
    return object ? (object.metadata?.labels ?? {}) : undefined;
  }
}

// Not a namespace name (those are DNS labels): the index of pods across every namespace.
const ALL_NAMESPACES = '*';

function podViewOf(key: string, object: KubeObject): PodView | undefined {
  const fromTemplate = key !== KINDS.Pod;
  // A Pod is its own template; a workload's template stands for the pods it will create.
  const template = fromTemplate ? POD_TEMPLATE_PATHS[key]?.(object) : object;
  if (!template) return undefined;
  return {
    name: nameOf(object),
    namespace: namespaceOf(object),
    labels: template.metadata?.labels ?? {},
    annotations: template.metadata?.annotations ?? {},
    spec: template.spec ?? {},
    owner: object,
    fromTemplate,
  };
}
