import type { MeshConfig, ProxyConfig } from '../../core/index.js';
import type { InjectionValues } from '../injection-values.js';
import type { Container, PodSecurityContext, PodSpec, Volume } from '../pod-types.js';

/** The workload a pod template belongs to: its kind, apiVersion, name and namespace. */
export interface PodOwner {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** What the template renders from. */
export interface TemplateInput {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: PodSpec;
  readonly owner: PodOwner;
  readonly values: InjectionValues;
  readonly mesh: MeshConfig;
  readonly proxyConfig: ProxyConfig;
  readonly nativeSidecars: boolean;
  /** User and group the proxy runs as (a user's own istio-proxy container may set them). @default 1337 */
  readonly proxyUid?: number;
  readonly proxyGid?: number;
}

/** What the template adds to a pod. */
export interface SidecarParts {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly initContainers: Container[];
  /** istio-proxy in the classic layout; empty with native sidecars. */
  readonly containers: Container[];
  readonly volumes: Volume[];
  readonly imagePullSecrets: { name: string }[];
  /** True when istio-proxy is an init container with restartPolicy Always. */
  readonly native: boolean;
  /** Pod-level security context the template sets, merged under the pod's own. */
  readonly podSecurityContext?: PodSecurityContext;
}
