// Every bundled schema model, for synchronous validation (the CLI loads only its input's kinds).
import '../../imports/schema-models.js';
export * from './inject-pod.js';
export * from './inject-manifests.js';
export { assertInjectableAnnotations } from './injectable-annotations.js';
export * from './injection-values.js';
export * from './proxy-config.js';
export * from './quantity.js';
export { renderSidecar } from './templates/sidecar.js';
export type { PodOwner, SidecarParts } from './templates/template-input.js';
