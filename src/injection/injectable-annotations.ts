import { ANNOTATION_VALIDATORS, compareCodeUnits, MeshformError, PROXY_RESOURCE_ANNOTATIONS } from '../core/index.js';

/** How much of a value a message repeats: enough to find it, never a whole hostile string. */
function shown(value: string, length = 40): string {
  return value.length > length ? `${value.slice(0, length)}…` : value;
}

/**
 * Refuses the annotations Istio's injector refuses (its AnnotationValidation table: interception
 * mode, port and CIDR lists, quantities, …), the user volumes its template cannot read, and what
 * Kubernetes would refuse of the pod they give (a negative resource amount). `where` names the pod's
 * owner and `field` where the annotations were given; the error names each annotation and its rule.
 */
export function assertInjectableAnnotations(annotations: Readonly<Record<string, unknown>>, where: string, field = 'metadata.annotations'): void {
  const problems: string[] = [];
  const names = Object.keys(annotations).sort(compareCodeUnits);
  for (const name of names) {
    const value = annotations[name];
    if (typeof value !== 'string') {
      problems.push(`annotation '${name}' is ${JSON.stringify(value)?.slice(0, 40)}, not a string`);
      continue;
    }
    const problem = ANNOTATION_VALIDATORS.get(name)?.(value) ?? (PROXY_RESOURCE_ANNOTATIONS.includes(name) && value.startsWith('-') ? 'Kubernetes refuses a negative resource amount' : undefined);
    if (problem) problems.push(`invalid value '${shown(value)}' for annotation '${name}': ${shown(problem, 160)}`);
  }
  const volumes = userObjects(annotations['sidecar.istio.io/userVolume'], 'sidecar.istio.io/userVolume', () => undefined);
  const mounts = userObjects(annotations['sidecar.istio.io/userVolumeMount'], 'sidecar.istio.io/userVolumeMount', (mount) =>
    typeof mount.mountPath === 'string' && mount.mountPath !== '' ? undefined : 'needs a mountPath',
  );
  problems.push(...volumes, ...mounts);
  if (problems.length === 0) return;
  const first = names.find((name) => problems.some((problem) => problem.includes(`'${name}'`)));
  throw new MeshformError(problems.join('; '), {
    construct: where,
    field: first ? `${field}['${first}']` : field,
    fix: "Correct the annotation: Istio's injector (istioctl kube-inject and the webhook) refuses the pod as it is.",
  });
}

/** The problems of a `userVolume`/`userVolumeMount` annotation: a JSON map of name to object. */
function userObjects(text: unknown, name: string, check: (entry: Record<string, unknown>) => string | undefined): string[] {
  if (typeof text !== 'string' || text === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return [`annotation '${name}' is not JSON: ${(error as Error).message}`];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [`annotation '${name}' must be a JSON map of name to ${name.endsWith('Mount') ? 'volume mount' : 'volume'}`];
  return Object.entries(parsed).flatMap(([entry, value]) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`annotation '${name}' entry "${shown(entry)}" is not an object`];
    const problem = check(value as Record<string, unknown>);
    return problem ? [`annotation '${name}' entry "${shown(entry)}" ${problem}`] : [];
  });
}
