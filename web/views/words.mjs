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

// How peaked the rows of a softmax matrix are, from the core's statistics: the mean over rows of
// sum_j A_ij^2, which is ||A||_F^2 / n = stable_rank * sigma_max^2 / n (stable_rank is ||A||_F^2 / sigma_1^2).
// It is 1/n when every row is uniform over all n keys and 1 when every row puts all its weight on one key.
// Only a selector of sentences: no number on the page comes from it.
export function rowConcentration(result) {
  return (result.stable_rank * result.sigma_max ** 2) / result.n;
}
// Rows whose weights spread over more than half the keys on average read as "close to uniform"; rows holding
// 99% of their squared weight on one key as "one-hot" (softmax close to a hard maximum).
const kUniformKeysFraction = 0.5;
const kOneHotConcentration = 0.99;

// 'uniform', 'between' or 'one_hot': which sentence of C3 is true of this bidirectional result.
export function rowRegime(result) {
  const concentration = rowConcentration(result);
  if (concentration * result.n * kUniformKeysFraction < 1) return 'uniform';
  return concentration >= kOneHotConcentration ? 'one_hot' : 'between';
}

// The key of the C4 sentence true of the forward result: the structural argument holds (f64, or f32 with its
// own resolution), or the computed matrix lost it (a diagonal entry is 0: softmax weights underflow at a
// huge scale; a linear feature map's phi(q_i) . phi(k_i) can be 0).
function causalFullRankKey(forward) {
  if (!forward.structurally_full_rank) {
    return forward.kind === 'linear' ? 'words.causal_full_rank.zero_diagonal_linear' : 'words.causal_full_rank.underflow';
  }
  // An f32 analysis says nothing about double precision's resolution: its own sentence.
  return forward.numerical_rank_f64 === null ? 'words.causal_full_rank.f32' : 'words.causal_full_rank';
}

// The placeholders of one paragraph, from the result it talks about; null when that result is missing or
// the paragraph is not about it (the softmax paragraphs when the patterns are linear attention). Each
// sentence is picked from the result (textKey), so what it says agrees with the numbers beside it.
function paragraphParams(key, lang, { state, patterns, linear }) {
  const bidirectional = patterns.get('bidirectional');
  const forward = patterns.get('forward');
  const common = { n: state.n, d: state.d, scale: formatReal(state.scale) };
  const yesNo = (value) => t(lang, value ? 'value.yes' : 'value.no');
  const isSoftmax = (result) => result && result.kind !== 'linear';
  switch (key) {
    case 'words.n_much_larger_than_d':
      return bidirectional && { ...common, n: bidirectional.n, logitsRank: bidirectional.logits_rank };
    case 'words.bidirectional_low_effective_rank':
      return isSoftmax(bidirectional) && { ...common, n: bidirectional.n, rank64: pipelineRankText(lang, bidirectional),
        effectiveRank: formatReal(bidirectional.effective_rank), regime: t(lang, `${key}.${rowRegime(bidirectional)}`) };
    case 'words.softmax_raises_rank':
      return isSoftmax(bidirectional) && { ...common, n: bidirectional.n, logitsRank: bidirectional.logits_rank,
        rank64: pipelineRankText(lang, bidirectional), effectiveRank: formatReal(bidirectional.effective_rank) };
    case 'words.causal_full_rank':
      return forward && { ...common, n: forward.n, logdet: logDetText(lang, forward), rank64: pipelineRankText(lang, forward),
        lost64: forward.n - forward.numerical_rank_f64, lost32: forward.n - forward.numerical_rank_f32,
        rank32: forward.numerical_rank_f32, textKey: causalFullRankKey(forward) };
    case 'words.causal_ill_conditioned': {
      // The lead follows the result: "both statements" (det > 0 yet numerically deficient) only while the
      // diagonal is positive. The closing clause too: exactly singular (det A = 0), behaving as if it had
      // fewer than n independent rows (sigma_min at the floor), or keeping them all (at a small scale).
      if (!forward) return null;
      const consequence = forward.det_sign === 0 ? 'words.causal_ill_conditioned.exactly_singular'
        : forward.condition_number_is_lower_bound ? 'words.causal_ill_conditioned.singular'
          : 'words.causal_ill_conditioned.resolved';
      return { ...common, sigmaMin: shownStatistic(lang, 'sigma_min', forward), condition: shownStatistic(lang, 'condition_number', forward),
        consequence: t(lang, consequence),
        textKey: forward.structurally_full_rank ? key : 'words.causal_ill_conditioned.zero_diagonal' };
    }
    case 'words.full_rank_conjecture':
      return forward && bidirectional && { ...common, n: forward.n,
        forwardAlgebraic: forward.structurally_full_rank ? String(forward.n) : t(lang, 'value.below_n_zero_diagonal'),
        forwardRank64: pipelineRankText(lang, forward),
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

// The text of paragraph `key` for data ({ state, patterns, linear }), or null when it has nothing to say
// about these results. Pure: the node tests read it.
export function paragraphText(key, lang, data) {
  const params = data.state ? paragraphParams(key, lang, { linear: new Map(), ...data }) : null;
  return params ? t(lang, params.textKey ?? key, params) : null;
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

// The numerical rank at the analysis's own precision (f64, or f32 for an f32 analysis) and that precision.
function pipelineRank(result) {
  return result.numerical_rank_f64 === null ? { rank: result.numerical_rank_f32, precision: 'f32' }
    : { rank: result.numerical_rank_f64, precision: 'f64' };
}

// The answer up front (issue 17 item 12): exactly full rank? numerically? what it means? Each answer from
// the current forward and bidirectional results, so it changes with the controls; '…' until they exist.
// The list carries what it was computed from (data-n, data-rank, data-structural) for readers of the DOM.
function renderAnswer(document, lang, { patterns }) {
  const list = document.getElementById('answer-list');
  if (!list) return;
  const forward = patterns?.get('forward');
  const bidirectional = patterns?.get('bidirectional');
  const answers = [['answer.exact'], ['answer.numerical'], ['answer.meaning']];
  if (forward && bidirectional) {
    const { rank, precision } = pipelineRank(forward);
    const precisionText = t(lang, `answer.precision.${precision}`);
    answers[0].push(t(lang, forward.structurally_full_rank ? 'answer.exact.yes' : 'answer.exact.no',
      { logdet: logDetText(lang, forward) }));
    answers[1].push(t(lang, rank < forward.n ? 'answer.numerical.lost' : 'answer.numerical.kept', { rank, n: forward.n,
      precision: precisionText, sigmaMin: shownStatistic(lang, 'sigma_min', forward),
      condition: shownStatistic(lang, 'condition_number', forward) }));
    answers[2].push(t(lang, 'answer.meaning.text', { n: forward.n, bidirectionalRank: pipelineRank(bidirectional).rank,
      forwardEffective: formatReal(forward.effective_rank), bidirectionalEffective: formatReal(bidirectional.effective_rank) }));
    Object.assign(list.dataset, { n: String(forward.n), rank: String(rank), precision,
      structural: String(forward.structurally_full_rank), bidirectionalRank: String(pipelineRank(bidirectional).rank) });
  } else {
    for (const answer of answers) answer.push(t(lang, 'answer.pending'));
    for (const key of ['n', 'rank', 'precision', 'structural', 'bidirectionalRank']) delete list.dataset[key];
  }
  const rows = answers.map(([question, answer], index) => {
    const row = document.createElement('div');
    row.className = 'answer-row';
    row.dataset.answer = ['exact', 'numerical', 'meaning'][index];
    const term = document.createElement('dt');
    term.textContent = t(lang, question);
    const description = document.createElement('dd');
    description.textContent = answer;
    row.append(term, description);
    return row;
  });
  list.replaceChildren(...rows);
}

// data: { state, patterns: Map pattern -> result, linear: Map case -> result }
export function renderWords(document, lang, data) {
  renderAnswer(document, lang, data);
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
