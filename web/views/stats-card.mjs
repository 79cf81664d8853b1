// One statistics card: a <dl> of the rank statistics of one analysis result, each value from the core.
// The condition number gets "≥" when the core flags it a lower bound, sigma_min "≤" (the core's accuracy
// floor) when the core flags it an upper bound; the f64 rank of an f32 analysis reads "n/a at f32" (the
// core reports null: an f32 pipeline cannot resolve the f64 tolerance); log|det| reads "not resolved" when
// the core says its determinant is rounding noise. Each <dd> carries data-key and data-value (the JSON of
// the core's value) so tests compare exactly what was computed. DOM via textContent only.
import { patternTriangle } from '../state/pattern-registry.mjs';
import { resultFields } from '../state/result-fields.mjs';
import { formatStatistic } from './format.mjs';

const kUpperBoundMark = '\u2264';  // ≤, a symbol in every language (like the "≥" of value.lower_bound)

// [result key, string key of its label]; each label's definition is its key + '.explain' (shown on hover and
// focus). The card's labels of the condition number and of the structural argument are short ones, so that
// every row of every card stays on one line and the rows of the four cards line up; the structural row is
// labelled by what it tests (triangular, A_ii > 0), so its "no" beside a full numerical rank does not read as
// "not full rank", and its "no" says why on hover (not triangular, or a 0 on the diagonal).
export const cardRows = [
  ['numerical_rank_f64', 'stat.numerical_rank_f64'],
  ['numerical_rank_f32', 'stat.numerical_rank_f32'],
  ['effective_rank', 'stat.effective_rank'],
  ['stable_rank', 'stat.stable_rank'],
  ['energy_rank_99', 'stat.energy_rank_99'],
  ['sigma_min', 'stat.sigma_min'],
  ['condition_number', 'stat.condition_number.short'],
  ['log_abs_det', 'stat.log_abs_det'],
  ['structurally_full_rank', 'stat.structurally_full_rank.short'],
];

// The definition shown for a card label (the statistic's explain text).
const explainKey = (labelKey) => `${labelKey.replace(/\.short$/, '')}.explain`;

// The f64 rank of an f32 analysis: the core reports null (older modules a count of f32 noise); either way
// not a number to show.
export function isNotAtF32(key, result) {
  return key === 'numerical_rank_f64' && (result.numerical_rank_f64 === null || result.precision === 'f32');
}

// The analysis keys whose value may be only a bound, from the core's table (result-fields.mjs: a row's
// `bound`, 'upper' or 'lower', and the flag `<key>_is_<bound>_bound` beside it that says when): sigma_min at
// or below the accuracy floor is the floor, an upper bound; the condition number there a lower bound.
const analysisFields = resultFields.results.find((entry) => entry.name === 'analysis').fields;
export const statisticBounds = Object.freeze(Object.fromEntries(analysisFields.filter((field) => field.bound)
  .map((field) => [field.key, Object.freeze({ bound: field.bound, flag: `${field.key}_is_${field.bound}_bound` })])));

// 'upper' or 'lower' when the core flags statistic `key` of `result` as only that bound, else null.
export function boundOf(key, result) {
  const entry = statisticBounds[key];
  return entry && result[entry.flag] === true ? entry.bound : null;
}

export function isUpperBound(key, result) {
  return boundOf(key, result) === 'upper';
}

// "≤ x" for a value that is only an upper bound.
export function upperBoundText(shown) {
  return `${kUpperBoundMark} ${shown}`;
}

// Why a result is not structurally full rank: its pattern is not triangular, or its diagonal holds a 0.
function noReasonKey(result) {
  return patternTriangle(result.pattern) ? 'value.no_zero_diagonal' : 'value.no_not_triangular';
}

// The text of one statistic, with the core's flags applied.
export function statisticText(key, result, text) {
  if (isNotAtF32(key, result)) return text('value.not_at_f32');
  if (key === 'log_abs_det' && (!result.log_abs_det_is_reliable || result.det_sign === 0)) {
    return result.log_abs_det_is_reliable ? text('value.det_zero') : text('value.not_resolved');
  }
  // "no" beside a full numerical rank reads as "not full rank": say which half of the structural argument
  // fails (not triangular: it says nothing either way; a zero on the diagonal: det A = 0).
  if (key === 'structurally_full_rank' && result[key] === false) return text(noReasonKey(result));
  const shown = formatStatistic(key, result[key], { yes: text('value.yes'), no: text('value.no') });
  if (boundOf(key, result) === 'lower') return text('value.lower_bound', { value: shown });
  if (isUpperBound(key, result)) return upperBoundText(shown);
  return shown;
}

// Marks a cell showing statistic `key` of `result`: classes for a bound or an unavailable value, and a
// tooltip saying why. Shared by the card and the tables (linear view).
export function markStatisticCell(cell, key, result, text) {
  cell.classList.toggle('is-bound', boundOf(key, result) !== null);
  cell.classList.toggle('is-unresolved', key === 'log_abs_det' && result.log_abs_det_is_reliable === false);
  cell.classList.toggle('is-unavailable', isNotAtF32(key, result));
  if (isNotAtF32(key, result)) cell.title = text('value.not_at_f32.explain');
  else if (isUpperBound(key, result)) cell.title = text('value.upper_bound.explain');
  else cell.removeAttribute('title');
}

// Fills dl with the rows for result. text(key) -> localised string.
export function renderStatsCard(dl, result, text) {
  const rows = [];
  for (const [key, labelKey] of cardRows) {
    const term = document.createElement('dt');
    term.textContent = text(labelKey);
    // Its definition on hover and on keyboard focus (style.css shows data-explain), and to screen readers.
    term.dataset.explain = text(explainKey(labelKey));
    term.setAttribute('aria-description', term.dataset.explain);
    term.tabIndex = 0;
    const value = document.createElement('dd');
    value.dataset.key = key;
    value.dataset.value = JSON.stringify(result[key] ?? null);
    const isStructuralNo = key === 'structurally_full_rank' && result[key] === false;
    value.textContent = isStructuralNo ? text('value.no') : statisticText(key, result, text);
    markStatisticCell(value, key, result, text);
    if (isStructuralNo) value.title = text(`${noReasonKey(result)}.explain`);
    const row = document.createElement('div');
    row.className = 'stat-row';
    row.append(term, value);
    rows.push(row);
  }
  dl.replaceChildren(...rows);
}
