// Number formatting for the statistics on the page: integers as they are, reals with 4 significant
// digits, very small or large reals as m × 10^k with superscript digits. Formatting only: every value
// comes from the core's result (docs/result-schema.md); nothing here computes a statistic.

const kSuperscripts = { '-': '\u207b', 0: '\u2070', 1: '\u00b9', 2: '\u00b2', 3: '\u00b3', 4: '\u2074',
  5: '\u2075', 6: '\u2076', 7: '\u2077', 8: '\u2078', 9: '\u2079' };

// Keys whose values are counts or indices; every other number is real-valued.
export const integerKeys = new Set(['n', 'd', 'seed', 'prefix', 'window', 'repeat', 'features',
  'feature_dimension', 'numerical_rank_f64', 'numerical_rank_f32', 'energy_rank_99', 'det_sign', 'logits_rank']);

function superscript(exponent) {
  return String(exponent).split('').map((character) => kSuperscripts[character]).join('');
}

// A real number for reading: 4 significant digits; outside [1e-3, 1e5) as 1.23 × 10⁻⁸.
export function formatReal(value) {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e5) return String(Number(value.toPrecision(4)));
  let exponent = Math.floor(Math.log10(magnitude));
  let mantissa = Number((value / 10 ** exponent).toPrecision(3));
  if (Math.abs(mantissa) >= 10) {
    mantissa /= 10;
    exponent += 1;
  }
  const sign = value < 0 ? '\u2212' : '';
  return `${sign}${Math.abs(mantissa)}\u202f\u00d7\u202f10${superscript(exponent)}`;
}

// A count for reading (parameters of a model): up to a million as it is, above in millions with one decimal
// ("35.3 M"), as the architectures table and the claims' facts both show it.
export function formatCount(value) {
  return Math.abs(value) >= 1e6 ? `${(value / 1e6).toFixed(1)}\u202fM` : String(value);
}

// A value of a result key as text. `words` gives the localised yes/no/not-resolved strings.
export function formatStatistic(key, value, words = { yes: 'yes', no: 'no' }) {
  if (value === null || value === undefined) return '\u2014';
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value !== 'number') return String(value);
  if (integerKeys.has(key)) return String(value);
  return formatReal(value);
}
