/**
 * Orders strings by code unit, as Go's sort.Strings does for ASCII: the same on every machine,
 * unlike localeCompare. Output that is sorted with it is byte-for-byte stable.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
