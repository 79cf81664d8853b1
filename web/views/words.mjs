// The words beside the figures: each section's paragraphs from web/i18n/strings.mjs, filled with the
// live numbers of the current results (formatted here, computed by the core).
import { t } from '../i18n/strings.mjs';
import { formatReal } from './format.mjs';

export function wordParams({ state, patterns }) {
  const params = { n: state.n, d: state.d, s: state.scale };
  for (const [pattern, result] of patterns) {
    params[`${pattern}_rank`] = result.numerical_rank_f64;
    params[`${pattern}_effective`] = formatReal(result.effective_rank);
    params[`${pattern}_kappa`] = formatReal(result.condition_number);
  }
  return params;
}

export function renderWords(document, lang, data) {
  const params = wordParams(data);
  for (const section of ['patterns', 'spectra', 'linear', 'raises', 'sweep', 'load']) {
    const box = document.getElementById(`${section}-words`);
    const paragraph = document.createElement('p');
    paragraph.textContent = t(lang, `words.${section}`, params);
    box.replaceChildren(paragraph);
  }
}
