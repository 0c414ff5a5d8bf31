// meshform's own check (an MF code): Istio has no analyzer for it.
import { objectKey, type KubeObject } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';

/**
 * Manifests that define the same object (MF0006): `kubectl apply` keeps only the last, so the
 * others' settings silently vanish. Reported once per object, however many files repeat it.
 */
export const duplicateObjectAnalyzer: Analyzer = {
  name: 'meshform.DuplicateObjectAnalyzer',
  codes: ['MF0006'],
  analyze(context) {
    const byKey = new Map<string, KubeObject[]>();
    for (const object of context.inputObjects) {
      if (!object.metadata?.name) continue;
      const key = objectKey(object);
      const same = byKey.get(key);
      if (same) same.push(object);
      else byKey.set(key, [object]);
    }
    for (const copies of byKey.values()) if (copies.length > 1) context.report('DuplicateObject', copies[0]!, [copies.length]);
  },
};
