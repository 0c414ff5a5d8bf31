import type { App } from 'cdk8s';
import { MeshApiObject } from '../../../imports/mesh-api-object.js';

/**
 * A value computed once per synthesis of an app. cdk8s validates the whole app at `app.synth()`
 * and again for every chart it renders; whatever validation works out is kept for the rest of
 * that synchronous turn (one `app.synth()` call), unless constructs were added or a meshform
 * construct changed meanwhile (markMeshChanged).
 */
export function oncePerSynth<T>(app: App, compute: () => T): T {
  const constructs = app.node.findAll().length;
  const current = turns.get(app);
  if (current && current.generation === generation && current.constructs === constructs) return current.value as T;
  const turn = { generation, constructs, value: compute() };
  turns.set(app, turn);
  // Past this turn, user code may have changed anything: the next synth looks afresh.
  queueMicrotask(() => {
    if (turns.get(app) === turn) turns.delete(app);
  });
  return turn.value;
}

const turns = new WeakMap<App, { generation: number; constructs: number; value: unknown }>();
let generation = 0;
// A render kept for the write is stale once a meshform construct has changed.
MeshApiObject.stateVersion = () => generation;

/**
 * Records that a meshform construct changed in a way its rendered objects show (new weights, a
 * new caller, a new route), so that what was worked out before is not reused.
 */
export function markMeshChanged(): void {
  generation++;
}
