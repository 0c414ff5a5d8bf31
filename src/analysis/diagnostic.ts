import { compareCodeUnits } from '../core/index.js';
/** Severity of a finding, as istioctl names them. */
export type Level = 'Info' | 'Warning' | 'Error';

export const LEVELS: readonly Level[] = ['Info', 'Warning', 'Error'];

/** Ordering of levels, for thresholds: Info < Warning < Error. */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** One finding of the analyzer. */
export interface Diagnostic {
  /** Istio's message code (`IST0101`) or meshform's own (`MF0002`). */
  readonly code: string;
  readonly level: Level;
  /** `"Kind namespace/name"`, or `"Kind name"` when the object has no namespace. */
  readonly origin: string;
  readonly message: string;
  /** Where inside the object the problem is, as a dotted path (`spec.http[0].route[1]`), when known. */
  readonly path?: string;
  /** How to fix it. */
  readonly fix?: string;
}

/** Stable order: by origin, then code, then message, by code unit — output depends on neither input order nor locale. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return compareCodeUnits(a.origin, b.origin) || compareCodeUnits(a.code, b.code) || compareCodeUnits(a.message, b.message);
}
