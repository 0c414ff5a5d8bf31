import type { ApiObjectProps } from 'cdk8s';
import { MeshformError, type ErrorLocation } from '../../core/index.js';

/** Calls a workload may make to the Kubernetes API: one RBAC rule. */
export interface KubernetesApiRule {
  /** API groups; `''` is the core group. */
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** A Role with the rules and a RoleBinding of it to the workload's ServiceAccount, in its namespace. */
export function renderKubernetesApiAccess(rules: readonly KubernetesApiRule[], identity: { name: string; namespace: string; serviceAccountName: string }, location: ErrorLocation): ApiObjectProps[] {
  if (rules.length === 0) throw new MeshformError('kubernetesApiAccess has no rule', { ...location, field: 'kubernetesApiAccess', fix: 'Give the rules, or leave kubernetesApiAccess out.' });
  rules.forEach((rule, index) => {
    for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
      if (!Array.isArray(rule[field]) || rule[field].length === 0) {
        throw new MeshformError(`${field} is empty`, { ...location, field: `kubernetesApiAccess[${index}].${field}`, fix: `List the ${field} the workload needs.` });
      }
    }
    const unknown = rule.verbs.find((verb) => !VERBS.includes(verb));
    if (unknown) throw new MeshformError(`"${unknown}" is not an RBAC verb`, { ...location, field: `kubernetesApiAccess[${index}].verbs`, fix: `Use ${VERBS.join(', ')}; '*' is refused, grant what is needed.` });
  });
  const metadata = { name: identity.name, namespace: identity.namespace };
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules: rules.map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: identity.name },
      subjects: [{ kind: 'ServiceAccount', name: identity.serviceAccountName, namespace: identity.namespace }],
    },
  ];
}
