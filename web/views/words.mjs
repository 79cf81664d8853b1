// The words beside the figures: each section's intro and its paragraphs of the essay's argument
// (web/i18n/strings.mjs `paragraphs`, each with claim id, tag and source), filled with the live numbers
// of the current results. The numbers are the core's; this file only picks and formats them.
import { buildMath, formulas } from '../i18n/math.mjs';
import { t } from '../i18n/strings.mjs';
import { formatReal } from './format.mjs';
import { statisticText } from './stats-card.mjs';

// Section -> [intro key, paragraph keys, formulas (web/i18n/math.mjs) shown above the paragraphs]
const sections = {
  patterns: ['section.patterns.intro', ['words.n_much_larger_than_d', 'words.bidirectional_low_effective_rank',
    'words.causal_full_rank', 'words.causal_ill_conditioned'], ['logits', 'softmax']],
  spectra: ['section.spectra.intro', ['words.det_misleading', 'words.full_rank_conjecture'],
    ['tolerance', 'determinant']],
  linear: ['section.linear.intro', ['words.linear_bidirectional_rank', 'words.linear_causal_full_rank'], []],
  raises: ['section.raises_rank.intro', ['words.softmax_raises_rank'], ['effectiveRank']],
  sweep: ['section.sweeps.intro', ['words.depth_collapse'], []],
  load: ['section.load.intro', [], []],
};

function formulaElement(document, lang, name) {
  const figure = document.createElement('div');
  figure.className = 'formula';
  figure.append(buildMath(document, formulas[name], { lang }));
  return figure;
}

// A statistic as the cards show it, with the core's flags ("≥" for a condition number that is a lower bound,
// "≤ floor" for a sigma_min at the accuracy floor, "n/a at f32" for an f64 rank of an f32 analysis).
function shownStatistic(lang, key, result) {
  return statisticText(key, result, (name, params) => t(lang, name, params));
}

// The numerical rank at the tolerance of the precision the analysis ran in: the f64 rank, or at f32 the
// f32 rank named as such (an f32 pipeline resolves nothing at f64 tolerance, so a sentence never says
// "n/a" where a count belongs).
function pipelineRankText(lang, result) {
  return result.numerical_rank_f64 === null
    ? t(lang, 'value.rank_at_f32', { rank: result.numerical_rank_f32 }) : String(result.numerical_rank_f64);
}

function logDetText(lang, result) {
  if (!result.log_abs_det_is_reliable) return t(lang, 'value.not_resolved');
  return result.log_abs_det === null ? t(lang, 'value.det_zero') : formatReal(result.log_abs_det);
}

// The placeholders of one paragraph, from the result it talks about; null when that result is missing.
function paragraphParams(key, lang, { state, patterns, linear }) {
  const bidirectional = patterns.get('bidirectional');
  const forward = patterns.get('forward');
  const common = { n: state.n, d: state.d, scale: state.scale };
  const yesNo = (value) => t(lang, value ? 'value.yes' : 'value.no');
  switch (key) {
    case 'words.n_much_larger_than_d':
    case 'words.bidirectional_low_effective_rank':
    case 'words.softmax_raises_rank':
      return bidirectional && { ...common, n: bidirectional.n, logitsRank: bidirectional.logits_rank,
        rank64: pipelineRankText(lang, bidirectional), effectiveRank: formatReal(bidirectional.effective_rank) };
    case 'words.causal_full_rank':
      return forward && { ...common, n: forward.n, logdet: logDetText(lang, forward), rank64: pipelineRankText(lang, forward),
        lost64: forward.n - forward.numerical_rank_f64, lost32: forward.n - forward.numerical_rank_f32,
        rank32: forward.numerical_rank_f32,
        // An f32 analysis says nothing about double precision's resolution: its own sentence.
        textKey: forward.numerical_rank_f64 === null ? 'words.causal_full_rank.f32' : key };
    case 'words.causal_ill_conditioned':
      // The closing clause follows the result: only a matrix that lost numerical rank is said to behave as if
      // it had fewer than n independent rows (at a small scale it keeps them all).
      return forward && { ...common, sigmaMin: shownStatistic(lang, 'sigma_min', forward), condition: shownStatistic(lang, 'condition_number', forward),
        consequence: t(lang, forward.condition_number_is_lower_bound
          ? 'words.causal_ill_conditioned.singular' : 'words.causal_ill_conditioned.resolved') };
    case 'words.full_rank_conjecture':
      return forward && bidirectional && { ...common, n: forward.n, forwardRank64: pipelineRankText(lang, forward),
        forwardEffective: formatReal(forward.effective_rank), bidirectionalRank64: pipelineRankText(lang, bidirectional),
        bidirectionalEffective: formatReal(bidirectional.effective_rank) };
    case 'words.linear_bidirectional_rank': {
      const result = linear.get('linear-bidirectional');
      return result && { ...common, n: result.n, featureDim: result.feature_dimension, rank64: pipelineRankText(lang, result) };
    }
    case 'words.linear_causal_full_rank': {
      const result = linear.get('linear-forward');
      return result && { ...common, n: result.n, structural: yesNo(result.structurally_full_rank),
        rank64: pipelineRankText(lang, result) };
    }
    default:
      return common;
  }
}

function paragraphElement(key, lang, params) {
  const paragraph = document.createElement('p');
  paragraph.className = 'claim';
  paragraph.dataset.claim = t(lang, `${key}.claim`);
  const tagId = t(lang, `${key}.tag`);
  const tag = document.createElement('span');
  tag.className = `tag tag-${tagId}`;
  tag.textContent = t(lang, `tag.${tagId}`);
  tag.title = t(lang, `tag.${tagId}.explain`);
  const body = document.createElement('span');
  body.textContent = `${t(lang, params.textKey ?? key, params)} `;
  const source = document.createElement('span');
  source.className = 'source';
  source.textContent = `${t(lang, 'claim.label', { id: t(lang, `${key}.claim`) })} \u00b7 ${t(lang, 'source.label',
    { source: t(lang, t(lang, `${key}.source`)) })}`;
  paragraph.append(tag, body, source);
  return paragraph;
}

// data: { state, patterns: Map pattern -> result, linear: Map case -> result }
export function renderWords(document, lang, data) {
  for (const [section, [intro, keys, formulaNames]] of Object.entries(sections)) {
    const introElement = document.getElementById(`${section}-intro`);
    if (introElement) introElement.textContent = t(lang, intro);
    const box = document.getElementById(`${section}-words`);
    if (!box) continue;
    const paragraphs = formulaNames.map((name) => formulaElement(document, lang, name));
    for (const key of keys) {
      const params = data.state ? paragraphParams(key, lang, data) : null;
      if (params) paragraphs.push(paragraphElement(key, lang, params));
    }
    box.replaceChildren(...paragraphs);
  }
}
