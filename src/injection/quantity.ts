const BINARY: readonly [string, number][] = [
  ['Ei', 6],
  ['Pi', 5],
  ['Ti', 4],
  ['Gi', 3],
  ['Mi', 2],
  ['Ki', 1],
];
const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIX).map(([suffix, exponent]) => [exponent, suffix]));

/**
 * A Kubernetes resource quantity in the canonical form the API server writes back
 * (`2000m` → `2`, `1024Mi` → `1Gi`, `0.5` → `500m`). Unparsable input is returned unchanged.
 */
export function canonicalQuantity(value: string | number): string {
  const text = String(value).trim();
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return text;
  const [, sign, whole = '', fraction = '', suffix = ''] = match;
  const binary = BINARY.find(([name]) => name === suffix);
  if (binary) {
    const bytes = Number(`${whole || '0'}.${fraction || '0'}`) * 1024 ** binary[1];
    if (Number.isInteger(bytes)) return sign + formatBinary(bytes);
    return text;
  }
  const exponent = /^[eE]/.test(suffix) ? Number(suffix.slice(1)) : DECIMAL_SUFFIX[suffix]!;
  // value = digits × 10^(exponent − fraction length), digits without leading zeros.
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let power = exponent - fraction.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    power += 1;
  }
  // Largest multiple of three not above the power keeps the mantissa whole.
  let scale = Math.floor(power / 3) * 3;
  scale = Math.max(-9, Math.min(18, scale));
  const mantissa = digits + '0'.repeat(Math.max(0, power - scale));
  return `${sign}${mantissa}${DECIMAL_BY_EXPONENT.get(scale)}`;
}

function formatBinary(bytes: number): string {
  for (const [suffix, power] of BINARY) {
    const unit = 1024 ** power;
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}
