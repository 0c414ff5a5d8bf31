// meshform's own check (an MF code): Istio has no analyzer for it.
import { duplicateObjects } from '../../../core/index.js';
import type { Analyzer } from '../../context.js';

/**
 * Manifests that define the same object (MF0006): `kubectl apply` keeps only the last, so the
 * others' settings silently vanish. Reported once per object, however many files repeat it.
 */
export const duplicateObjectAnalyzer: Analyzer = {
  name: 'meshform.DuplicateObjectAnalyzer',
  codes: ['MF0006'],
  analyze(context) {
    const named = context.inputObjects.filter((object) => object.metadata?.name);
    for (const copies of duplicateObjects(named, (object) => object)) {
      const files = copies.map((copy) => context.sourceOf(copy));
      // Name where each copy is, when the input came from files: the same file twice is a copy too.
      const where = files.every((file) => file !== undefined) ? ` (in ${files.join(', ')})` : '';
      context.report('DuplicateObject', copies[0]!, [copies.length, where]);
    }
  },
};
