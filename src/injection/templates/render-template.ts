import { MeshformError } from '../../core/index.js';
import { renderGateway } from './gateway.js';
import { renderGrpcAgent, renderGrpcSimple } from './grpc.js';
import { renderSidecar } from './sidecar.js';
import type { SidecarParts, TemplateInput } from './template-input.js';

/** Istio's injection templates by the name `inject.istio.io/templates` selects them with. */
const TEMPLATES: Readonly<Record<string, (input: TemplateInput) => SidecarParts>> = {
  sidecar: renderSidecar,
  gateway: renderGateway,
  'grpc-agent': renderGrpcAgent,
  'grpc-simple': renderGrpcSimple,
};

/** The template a pod asks for (`sidecar` unless `inject.istio.io/templates` names another). */
export function templateName(annotations: Readonly<Record<string, string>>, where: string): string {
  const names = [...new Set((annotations['inject.istio.io/templates'] ?? 'sidecar').split(',').map((n) => n.trim()).filter(Boolean))];
  if (names.length !== 1) {
    throw new MeshformError(`inject.istio.io/templates names ${names.join(', ')}; meshform renders one template per pod`, {
      construct: where,
      field: 'metadata.annotations[inject.istio.io/templates]',
      fix: 'Name a single template.',
    });
  }
  const name = names[0]!;
  if (!TEMPLATES[name]) {
    throw new MeshformError(`there is no injection template "${name}"`, {
      construct: where,
      field: 'metadata.annotations[inject.istio.io/templates]',
      fix: `Templates are: ${Object.keys(TEMPLATES).join(', ')}.`,
    });
  }
  return name;
}

export function renderTemplate(name: string, input: TemplateInput): SidecarParts {
  return TEMPLATES[name]!(input);
}
