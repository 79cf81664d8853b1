// One statistics card: a <dl> of the rank statistics of one analysis result, each value from the core.
// The condition number gets "≥" when the core flags it a lower bound; log|det| reads "not resolved" when
// the core says its LU pivots are rounding noise. Each <dd> carries data-key and data-value (the JSON of
// the core's value) so tests compare exactly what was computed. DOM via textContent only.
import { formatStatistic } from './format.mjs';

// [result key, string key of its label]
export const cardRows = [
  ['numerical_rank_f64', 'stat.numerical_rank_f64'],
  ['numerical_rank_f32', 'stat.numerical_rank_f32'],
  ['effective_rank', 'stat.effective_rank'],
  ['stable_rank', 'stat.stable_rank'],
  ['energy_rank_99', 'stat.energy_rank_99'],
  ['sigma_min', 'stat.sigma_min'],
  ['condition_number', 'stat.condition_number'],
  ['log_abs_det', 'stat.log_abs_det'],
  ['structurally_full_rank', 'stat.structurally_full_rank'],
];

// The text of one statistic, with the core's flags applied.
export function statisticText(key, result, text) {
  if (key === 'log_abs_det' && (!result.log_abs_det_is_reliable || result.det_sign === 0)) {
    return result.log_abs_det_is_reliable ? text('value.det_zero') : text('value.not_resolved');
  }
  const shown = formatStatistic(key, result[key], { yes: text('value.yes'), no: text('value.no') });
  if (key === 'condition_number' && result.condition_number_is_lower_bound) return text('value.lower_bound', { value: shown });
  return shown;
}

// Fills dl with the rows for result. text(key) -> localised string.
export function renderStatsCard(dl, result, text) {
  const rows = [];
  for (const [key, labelKey] of cardRows) {
    const term = document.createElement('dt');
    term.textContent = text(labelKey);
    const value = document.createElement('dd');
    value.dataset.key = key;
    value.dataset.value = JSON.stringify(result[key] ?? null);
    value.textContent = statisticText(key, result, text);
    if (key === 'condition_number' && result.condition_number_is_lower_bound) value.classList.add('is-bound');
    if (key === 'log_abs_det' && !result.log_abs_det_is_reliable) value.classList.add('is-unresolved');
    const row = document.createElement('div');
    row.className = 'stat-row';
    row.append(term, value);
    rows.push(row);
  }
  dl.replaceChildren(...rows);
}
