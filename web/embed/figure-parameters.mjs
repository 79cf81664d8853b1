// Which parameters apply to each kind of <attn-figure> (issue 19 items 4 and 6), said once: per kind, the
// core configs the figure asks (the builders its figure module of web/views/figures/ runs, which send what
// the core's parameter registry lists for their requests: state/request-configs.mjs) and the page keys its
// drawing reads besides. A state key applies to a kind when its drawing reads it or when changing it
// changes the figure's configs; so a parameter the figure sets itself (the raises-rank figure's softmax),
// one its patterns do not take (window without the window patterns) or one the core ignores there
// (feature under softmax) does not. The explorer's Embed snippet (snippet.mjs) and the attribute
// reference of docs/embedding.md (scripts/embed-reference.mjs) read it; tests/node/embed-snippet.test.mjs
// checks it covers every figure kind. Pure module: no DOM (the figure modules build theirs only when a
// figure is made).
import { controlLevels, figureKinds, themeNames, trainViews } from './attribute-state.mjs';
import { optionKeys } from '../lab/lab-state.mjs';
import { depthPatterns, patternNames, shownPatterns } from '../state/pattern-registry.mjs';
import { parameters } from '../state/parameter-registry.mjs';
import { claimsConfigFor, collapseConfigFor, configFor, defaultState, mixtureConfigFor, sweepDefaults } from '../state/url-state.mjs';
import { mixtureHeads } from '../views/figures/heads.mjs';
import { linearConfigs } from '../views/figures/linear.mjs';
import { patternConfig } from '../views/figures/patterns.mjs';
import { raisesConfigs } from '../views/figures/raises-rank.mjs';
import { sweepConfigs } from '../views/figures/sweep.mjs';

// kind -> {
//   title: the i18n key of what it shows (the explorer's section title);
//   configs(state, patterns): the configs of the core requests the figure makes, in order ([]: none);
//   usesPatterns: the `pattern` attribute picks the patterns it shows (default: the explorer's, shownPatterns:
//     the essay's four, the window patterns too with windows="1"; `pattern` wins over `windows`);
//   reads: state keys its drawing reads that are no part of its configs;
//   own: attributes of the element that only this kind reads (not state keys);
//   options: (train) the lab's train options it takes as attributes (seeds and registry train parameters,
//     lab-state.mjs: their attribute is attribute-state.mjs trainAttributeOf). }
// kind, controls, theme and lang apply to every kind (attribute-state.mjs).
export const figureParameters = Object.freeze({
  patterns: { title: 'section.patterns', usesPatterns: true, reads: ['colour', 'colour_range'], own: [],
    configs: (state, patterns) => patterns.map((pattern) => patternConfig(state, pattern)) },
  spectra: { title: 'section.spectra', usesPatterns: true, reads: [], own: [],
    configs: (state, patterns) => patterns.map((pattern) => configFor(state, pattern)) },
  linear: { title: 'section.linear', usesPatterns: false, reads: [], own: [], configs: (state) => linearConfigs(state) },
  // state.scale marks the page's own scale on the chart, whose points are at scales of their own.
  'raises-rank': { title: 'section.raises_rank', usesPatterns: false, reads: ['scale'], own: [], configs: (state) => raisesConfigs(state) },
  sweep: { title: 'section.sweeps', usesPatterns: true, reads: ['sweep_over', 'sweep_values', 'sweep_stat'], own: [],
    configs: (state, patterns) => sweepConfigs(state, patterns) },
  stats: { title: 'embed.kind.stats', usesPatterns: true, reads: [], own: [],
    configs: (state, patterns) => patterns.map((pattern) => configFor(state, pattern)) },
  collapse: { title: 'section.depth', usesPatterns: false, reads: ['depth_metric'], own: [],
    configs: (state) => depthPatterns.map(([pattern]) => collapseConfigFor(state, pattern)) },
  heads: { title: 'section.heads', usesPatterns: false, reads: ['colour', 'colour_range'], own: [],
    configs: (state) => {
      const heads = mixtureHeads(state);
      return heads ? [mixtureConfigFor({ ...state, heads })] : [];
    } },
  architectures: { title: 'arch.title', usesPatterns: false, reads: [], own: [], configs: () => [] },
  claims: { title: 'section.claims', usesPatterns: false, reads: [], own: ['claim'], configs: (state) => [claimsConfigFor(state)] },
  // The training lab's figure (embed/train-figure.mjs): no key of the page's state applies; its attributes are
  // its own, and its train options (seeds, steps, n, ...: docs/embedding.md section 8) the core's train parameters.
  train: { title: 'footer.lab', usesPatterns: false, reads: [], own: ['experiment', 'settings', 'view', 'configuration', 'autorun'],
    options: ['seeds', ...optionKeys], configs: () => [] },
});

// The element's attributes that are no key of the page's state (attribute-state.mjs reads them), for the
// attribute reference: type, values, default and meaning (English: the reference is docs/embedding.md's).
// kind, controls and theme apply to every kind; pattern to the kinds that use patterns; the others to the
// kinds whose `own` names them.
export const elementAttributes = Object.freeze({
  kind: { type: 'choice', values: () => figureKinds.map((kind) => `\`${kind}\``).join(', '), default: '`patterns`',
    meaning: 'the figure: one of the kinds above' },
  controls: { type: 'choice', values: () => controlLevels.map((level) => `\`${level}\``).join(', '), default: '`none`',
    meaning: 'inputs above the figure that set its attributes: none, a few (compact) or more (full: also the Image + link export under a figure with a picture, section 13)' },
  theme: { type: 'choice', values: () => themeNames.map((name) => `\`${name}\``).join(', '), default: '`auto`',
    meaning: 'light or dark: auto follows the host page\'s color-scheme; light and dark fix it (below)' },
  pattern: { type: 'list', values: () => `comma-separated, of ${patternNames.map((name) => `\`${name}\``).join(', ')}`,
    default: 'the explorer\'s: the essay\'s four, with `windows="1"` the window patterns too',
    meaning: 'the patterns the figure shows, in this order (it wins over `windows`)' },
  claim: { type: 'list', values: () => 'comma-separated claim ids (docs/claims.md), e.g. `C4,C17`', default: 'every claim',
    meaning: 'the claims the figure shows, each with its live verdict' },
  experiment: { type: 'choice', values: () => 'one of the core\'s lab experiments (`lab_experiments()`, `attnrank train --list-experiments`)',
    default: 'the first', meaning: 'the training lab\'s experiment a `train` figure shows (its seeds and train options: section 8)' },
  settings: { type: 'choice', values: () => 'the settings the gallery\'s index.json lists for the experiment (docs/lab-gallery.md)',
    default: '`default`', meaning: 'which reference runs of the experiment a `train` figure shows and reruns (their options and seeds)' },
  view: { type: 'choice', values: () => trainViews.map((view) => `\`${view}\``).join(', '), default: `\`${trainViews[0]}\``,
    meaning: 'what a `train` figure shows: the held-out curves and verdicts, the learned attention, or the rank statistics' },
  configuration: { type: 'choice', values: () => 'one of the experiment\'s configurations (`masks:attention`)', default: 'the first',
    meaning: 'the run the `attention` and `rank` views of a `train` figure show (its first seed)' },
  autorun: { type: 'boolean', values: () => 'present, `true`, `1`; or `false`, `0`', default: 'absent',
    meaning: 'a `train` figure trains as soon as it comes near the viewport, without waiting for Run' },
});

function entryOf(kind) {
  const entry = figureParameters[kind];
  if (!entry) throw new TypeError(`figure-parameters.mjs: no entry for the figure kind ${kind} (add one beside the others)`);
  return entry;
}

function configsText(kind, state) {
  const entry = entryOf(kind);
  return JSON.stringify(entry.configs(state, entry.usesPatterns ? shownPatterns(state) : null));
}

// Whether state key `key` (a URL key) applies to figure `kind` under `state` (a full page state): its drawing
// reads it, or the figure's configs differ from those with the key at its default.
export function keyApplies(kind, key, state) {
  const entry = entryOf(kind);
  if (entry.reads.includes(key)) return true;
  if (!Object.hasOwn(defaultState, key)) return false;
  return configsText(kind, state) !== configsText(kind, { ...state, [key]: defaultState[key] });
}

// Other values of a state key to probe with (its registry entry): every other choice, the other boolean, a
// nearby integer or number; lists are not probed (a kind that uses one reads it).
function probeValues(entry, base) {
  const value = base[entry.url_key];
  if (entry.type === 'choice') return entry.choices.filter((choice) => choice !== value);
  if (entry.type === 'boolean') return [!value];
  if (entry.type === 'integer') return value === null ? [3] : [value + 1];
  if (entry.type === 'number') return [value * 2];
  return [];
}

// The states the reference probes from: the defaults, linear attention with the favor map and the window
// patterns shown (where feature, features and window matter), and a sweep over each axis (a sweep sets the
// parameter it sweeps itself).
function probeBases() {
  const linear = { ...defaultState, kind: 'linear', feature: 'favor', windows: true };
  return [{ ...defaultState }, linear, ...Object.entries(sweepDefaults)
    .map(([over, values]) => ({ ...linear, sweep_over: over, sweep_values: values }))];
}

// The state keys (URL keys, in the registry's order) that apply to `kind` in some state: read by its
// drawing, or changing its configs from one of the probe states. lang is left out (every kind's: the figure's
// language). For the attribute reference.
export function kindStateKeys(kind) {
  const entry = entryOf(kind);
  const keys = [];
  for (const parameter of parameters) {
    const key = parameter.url_key;
    if (!key || !parameter.attribute || key === 'lang' || !Object.hasOwn(defaultState, key)) continue;
    const applies = entry.reads.includes(key) || probeBases().some((base) => probeValues(parameter, base)
      .some((value) => configsText(kind, base) !== configsText(kind, { ...base, [key]: value })));
    if (applies) keys.push(key);
  }
  return keys;
}
