/**
 * A value known only when the objects are deployed (a Pulumi Output) stands in the objects as a
 * placeholder until then. Checks of a value's form skip text that holds one: its form is the
 * deployed value's, unknown at synth.
 */
export const DEFERRED_VALUE = /__meshform_input_(\d+)__/g;

/** The placeholder of the deferred value number `index`. */
export function deferredValue(index: number): string {
  return `__meshform_input_${index}__`;
}

/** True when `text` holds a placeholder, or what a construct made of one (a DNS label of it). */
export function holdsDeferredValue(text: string): boolean {
  return /_?_?meshform[-_]input[-_]\d+/.test(text);
}
