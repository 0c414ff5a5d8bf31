// Follows Istio's util.GetInjectorConfigMapName and the injector ConfigMap's `values` key.
import { type KubeObject, nameOf } from '../../core/index.js';
import { KINDS, type ResourceIndex } from './resource-index.js';

/** Labels and names that decide sidecar injection. */
export const INJECTION_LABEL = 'istio-injection';
export const REVISION_LABEL = 'istio.io/rev';
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
export const INJECTOR_CONFIG_MAP = 'istio-sidecar-injector';

/** The injector ConfigMap's name for a revision: `istio-sidecar-injector`, or with `-<revision>`. */
export function injectorConfigMapName(revision: string | undefined): string {
  return revision === undefined || revision === '' || revision === 'default' ? INJECTOR_CONFIG_MAP : `${INJECTOR_CONFIG_MAP}-${revision}`;
}

/** The injector ConfigMaps among the objects (any namespace: Istio looks them up by name alone). */
export function injectorConfigMaps(index: ResourceIndex): KubeObject[] {
  return index.ofKind(KINDS.ConfigMap).filter((configMap) => nameOf(configMap).startsWith(INJECTOR_CONFIG_MAP));
}

/** The Helm values the injector ConfigMap holds as JSON under `values`, or undefined when they do not parse. */
export function injectorValues(configMap: KubeObject): any {
  try {
    return JSON.parse(String((configMap.data as Record<string, unknown> | undefined)?.values ?? ''));
  } catch {
    return undefined;
  }
}
