import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { assertDnsLabel } from '../../core/index.js';
import type { Mesh } from '../mesh.js';

/** Where a construct's objects go: a mesh, an explicit namespace, or the chart's namespace. */
export interface PlacementProps {
  /**
   * The meshed namespace to live in.
   * @default - `namespace`, else the chart's namespace, else "default"
   */
  readonly mesh?: Mesh;
  /**
   * Namespace to live in, when not given through `mesh`.
   * @default - the mesh's namespace, else the chart's namespace, else "default"
   */
  readonly namespace?: string;
}

/** Resolves the namespace of a construct and makes it depend on its mesh (Namespace first in output). */
export function placeIn(construct: Construct, props: PlacementProps): string {
  // In the mesh's own chart the Namespace already comes first: the Mesh must exist before a
  // construct can name it. Across charts, the mesh's chart must be applied first.
  if (props.mesh && Chart.of(props.mesh) !== Chart.of(construct)) construct.node.addDependency(props.mesh);
  const namespace = props.namespace ?? props.mesh?.namespace ?? Chart.of(construct).namespace ?? 'default';
  return assertDnsLabel(namespace, { construct: construct.node.path, field: 'namespace' });
}
