// The training lab's verdicts on the claims it tests (C9, C11, C12, C16: the experiments' `claims` in the
// core's lab_experiments()), for the claims view (issue 18 item 4). Loaded only when a shown claim is one of
// them (figures/claims.mjs): it fetches the gallery's index (web/lab/gallery/index.json, docs/lab-gallery.md:
// every reference run's last record, per settings: the default settings and, when made, the long runs) and
// asks the core for the verdicts of each settings' runs (lab_verdicts, the rule of lab/verdicts.h); the
// words are the core's, in English and Chinese. Each verdict names its experiments, their settings (steps,
// learning rate, seeds) and a link that opens the lab on that experiment with those settings, ready to run.
// No numbers are computed here; DOM through textContent only.
import { labDefaults, optionKeys, serializeLabState } from '../lab/lab-state.mjs';
import { formatCount, formatReal } from './format.mjs';

const indexUrl = new URL('../lab/gallery/index.json', import.meta.url);
const labPageUrl = new URL('../lab.html', import.meta.url);
const kGalleryFormat = 'attnrank-lab-gallery/1';

// index.json, or null when this copy has no gallery (HTTP 404).
async function fetchIndex() {
  const response = await fetch(indexUrl);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${indexUrl.pathname}: HTTP ${response.status}`);
  const index = await response.json();
  if (index.format !== kGalleryFormat) throw new Error(`${indexUrl.pathname}: format ${index.format}, this page reads ${kGalleryFormat}`);
  return index;
}

// The JSONL the core's lab_verdicts reads: each run's last record (the index's finals) with its task.
export function finalsJsonl(entries, experiments) {
  return entries.flatMap((entry) => entry.finals.map((final) => JSON.stringify({ task: experiments.get(entry.id).task, ...final })))
    .join('\n');
}

// The lab page's URL state for an index entry: its experiment, the options and seeds where they differ
// from the experiment's (lab_experiments' options and seeds), the language.
export function labLinkState(entry, experiment, lang) {
  const state = { ...labDefaults, experiment: entry.id };
  for (const key of optionKeys) {
    if (entry.options[key] !== undefined && entry.options[key] !== experiment.options[key]) state[key] = entry.options[key];
  }
  const seeds = [...entry.seeds];
  if (seeds.join(',') !== [...experiment.seeds].join(',')) state.seeds = seeds;
  if (lang === 'zh') state.lang = 'zh';
  return state;
}

export function labLink(entry, experiment, lang) {
  const url = new URL(labPageUrl);
  url.search = serializeLabState(labLinkState(entry, experiment, lang)).toString();
  return url.href;
}

let pending = null;
// Per page, once: { experiments: Map id -> lab_experiments entry, groups: [{ settings, entries, verdicts }]
// (default settings first, then the others in the index's order), hasLabPage (false in an embeddable copy,
// whose index says lab_page: false) }, or null when there is no gallery.
// engine: the figure's engine (call(method, ...args)); table: lab_experiments().
export function labClaimVerdicts(engine, table) {
  if (!pending) {
    pending = (async () => {
      const index = await fetchIndex();
      if (!index) return null;
      const experiments = new Map(table.experiments.map((experiment) => [experiment.id, experiment]));
      const bySettings = new Map();
      for (const entry of index.experiments) {
        if (!experiments.has(entry.id)) continue;  // a gallery of an experiment this core does not know
        const settings = entry.settings ?? 'default';
        if (!bySettings.has(settings)) bySettings.set(settings, []);
        bySettings.get(settings).push(entry);
      }
      const order = [...bySettings.keys()].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : 0));
      const groups = [];
      for (const settings of order) {
        const entries = bySettings.get(settings);
        const verdicts = await engine.call('lab_verdicts', finalsJsonl(entries, experiments), null);
        groups.push({ settings, entries, verdicts });
      }
      return { experiments, groups, hasLabPage: index.lab_page !== false };
    })();
    pending.catch(() => { pending = null; });  // tried again at the next show
  }
  return pending;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// The settings' name in words: claims.lab.settings.<name>, or the name itself.
function settingsWords(settings, text) {
  const key = `claims.lab.settings.${settings}`;
  const words = text(key);
  return words === key ? text('claims.lab.settings.other', { settings }) : words;
}

// One experiment behind a verdict: its title (the core's), settings and the link that reruns it.
function experimentItem(entry, experiment, lang, text, hasLabPage) {
  const item = element('li', 'claim-lab-experiment');
  item.dataset.experiment = entry.id;
  item.dataset.settings = entry.settings ?? 'default';
  const title = lang === 'zh' ? experiment.title_zh : experiment.title_en;
  item.append(element('span', 'claim-lab-experiment-title', title), element('span', 'claim-lab-experiment-settings',
    ` ${text('claims.lab.run_settings', { steps: formatCount(entry.options.steps), learning_rate: formatReal(entry.options.learning_rate),
      seeds: [...entry.seeds].join(', ') })} `));
  if (hasLabPage) {  // an embeddable copy (scripts/build-dist.sh) has no lab page to link to
    const link = element('a', 'claim-lab-rerun', text('claims.lab.rerun'));
    link.href = labLink(entry, experiment, lang);
    item.append(link);
  }
  return item;
}

// The lab's verdicts on claim `id` for every settings group that tested it (none: null).
export function labBlock(id, data, lang, text) {
  const words = (entry) => (lang === 'zh' ? entry.text_zh : entry.text_en);
  const section = element('section', 'claim-lab');
  section.dataset.claim = id;
  // Not a heading element: the card may sit under any heading level of the host page (an essay's, a blog's).
  section.setAttribute('aria-label', `${id}: ${text('claims.lab.heading')}`);
  section.append(element('p', 'claim-lab-heading', text('claims.lab.heading')));
  let shown = 0;
  for (const { settings, entries, verdicts } of data.groups) {
    const verdict = verdicts.claims.find((claim) => claim.claim === id);
    if (!verdict || verdict.experiments.length === 0) continue;
    shown += 1;
    const group = element('div', 'claim-lab-group');
    group.dataset.settings = settings;
    group.dataset.verdict = verdict.verdict;
    const title = element('p', 'claim-lab-title');
    const chip = element('span', 'claim-lab-verdict', text(`claims.lab.verdict.${verdict.verdict}`));
    chip.dataset.verdict = verdict.verdict;
    title.append(element('span', 'claim-lab-settings', settingsWords(settings, text)), ' ', chip);
    const sentence = element('p', 'claim-lab-text', words(verdict));
    const list = element('ul', 'claim-lab-experiments');
    for (const experimentId of verdict.experiments) {
      const entry = entries.find((candidate) => candidate.id === experimentId);
      list.append(experimentItem(entry, data.experiments.get(experimentId), lang, text, data.hasLabPage));
    }
    const comparisons = verdicts.comparisons.filter((comparison) => comparison.claim === id);
    const details = element('details', 'claim-lab-comparisons');
    details.append(element('summary', undefined, text('claims.lab.comparisons', { count: comparisons.length })));
    const items = element('ul');
    for (const comparison of comparisons) {
      const item = element('li', undefined, words(comparison));
      item.dataset.verdict = comparison.verdict;
      item.dataset.outcome = comparison.outcome;
      items.append(item);
    }
    details.append(items);
    group.append(title, sentence, list, details);
    section.append(group);
  }
  return shown ? section : null;
}

// A note in place of the verdicts when the gallery could not be read.
export function labFailure(failure, text) {
  const note = element('p', 'claim-lab claim-lab-error', text('claims.lab.failed', { message: failure.message }));
  return note;
}
