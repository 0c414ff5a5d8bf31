/**
 * Rules the Kubernetes API server (or the kubelet) applies to fields whose form the published
 * OpenAPI schemas do not state: environment variable names, annotation and label keys, label
 * values, resource amounts, user ids, image references. One line per violation, with its path.
 */
export function kubernetesApiViolations(object: any): string[] {
  const problems: string[] = [];
  const where = `${object.kind} ${object.metadata?.name}`;
  const labelKey = (key: string) => {
    const slash = key.lastIndexOf('/');
    const name = slash < 0 ? key : key.slice(slash + 1);
    const prefix = slash < 0 ? undefined : key.slice(0, slash);
    return /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/.test(name) && (prefix === undefined || (prefix.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix)));
  };
  const labelValue = (value: unknown) => typeof value === 'string' && /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/.test(value);
  const metadata = (meta: any, path: string) => {
    for (const [key, value] of Object.entries(meta?.labels ?? {})) {
      if (!labelKey(key)) problems.push(`${where} ${path}.labels: key ${JSON.stringify(key)}`);
      if (!labelValue(value)) problems.push(`${where} ${path}.labels.${key}: value ${JSON.stringify(value)}`);
    }
    for (const [key, value] of Object.entries(meta?.annotations ?? {})) {
      if (!labelKey(key)) problems.push(`${where} ${path}.annotations: key ${JSON.stringify(key)}`);
      if (typeof value !== 'string') problems.push(`${where} ${path}.annotations.${key}: not a string`);
    }
  };
  metadata(object.metadata, 'metadata');
  const pod = podSpecOf(object);
  if (pod) {
    metadata(pod.metadata, 'template.metadata');
    const spec = pod.spec ?? {};
    const ids = (context: any, path: string) => {
      for (const field of ['runAsUser', 'runAsGroup', 'fsGroup']) {
        const id = context?.[field];
        if (id !== undefined && !(Number.isInteger(id) && id >= 0 && id <= 2147483647)) problems.push(`${where} ${path}.${field}: ${id}`);
      }
    };
    ids(spec.securityContext, 'securityContext');
    for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const at = `container ${container.name}`;
      ids(container.securityContext, `${at}.securityContext`);
      if (typeof container.image !== 'string' || container.image === '' || /\s/.test(container.image)) problems.push(`${where} ${at}.image: ${JSON.stringify(container.image)}`);
      for (const variable of container.env ?? []) {
        if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(variable.name)) problems.push(`${where} ${at}.env: name ${JSON.stringify(variable.name)}`);
      }
      for (const level of ['requests', 'limits']) {
        for (const [resource, amount] of Object.entries(container.resources?.[level] ?? {})) {
          if (!/^\+?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.test(String(amount))) problems.push(`${where} ${at}.resources.${level}.${resource}: ${JSON.stringify(amount)}`);
        }
      }
    }
  }
  return problems;
}

function podSpecOf(object: any): { metadata?: any; spec?: any } | undefined {
  if (object.kind === 'Pod') return object;
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template;
  return object.spec?.template?.spec ? object.spec.template : undefined;
}
