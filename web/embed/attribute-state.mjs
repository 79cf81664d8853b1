// An <attn-figure>'s attributes -> the explorer's state (state/url-state.mjs, the same validation and
// messages as the page's URL: the core's words, naming the core's parameter) plus the embed's own options. Attribute names are the
// core's parameter registry's (state/parameter-registry.mjs) and mirror the URL keys; HTML
// lowercases names, so sweep-over and sweep_over are the same key. Two names differ from the URL:
// `kind` is the figure kind here, so the attention kind is `attention` (URL key `kind`); `pattern`
// picks the patterns a figure shows, and `claim` the claims a claims figure shows. kind="train" reads its own
// attributes (trainAttributes; checked by embed/train-figure.mjs, loaded with the lab's code only when such a
// figure runs) and of the page's state only lang. Pure module: no DOM.
import { coreWords, defaultState, keyOfParam, parseState, patternNames, readerMessage } from '../state/url-state.mjs';
import { parameters, trainOptionKeys, urlParameters } from '../state/parameter-registry.mjs';
import { acceptedPatternNames, essayPatterns as mainPatterns, shownPatterns } from '../state/pattern-registry.mjs';
import { parseClaimIds } from '../views/claims-view.mjs';

export const figureKinds = Object.freeze(['patterns', 'spectra', 'linear', 'raises-rank', 'sweep', 'stats', 'collapse', 'heads', 'architectures', 'claims', 'train']);
export const controlLevels = Object.freeze(['none', 'compact', 'full']);
// theme: auto follows the host page's color-scheme; light and dark fix it (embed/figure-style.mjs).
export const themeNames = Object.freeze(['auto', 'light', 'dark']);
// The essay's four patterns (the default of `pattern`), from the core's pattern registry.
export { mainPatterns };

// Attribute names the element reads (observedAttributes): the registry's attributes of the state keys (and
// their URL spellings where those hold '_'), and the embed's own.
const attributeOfKey = new Map(urlParameters.map((entry) => [entry.url_key, entry.attribute]));
const keyOfAttribute = new Map(urlParameters.map((entry) => [entry.attribute, entry.url_key]));
const attributeForKey = (key) => attributeOfKey.get(key);
export const stateAttributes = Object.freeze(Object.keys(defaultState).map(attributeForKey));

// kind="train": the attribute of a train parameter of the core's registry (its page attribute where it has one:
// n, heads, layers; else its name with '-' for '_', as the URL's names are written: checkpoint-every), and the
// figure's own: experiment (one of the core's lab_experiments()), settings (a gallery file's settings, e.g. long),
// view (curves, attention, rank), configuration (the one the attention and rank views show) and autorun.
const trainParameters = parameters.filter((entry) => entry.requests.includes('train'));
const trainParameterNames = new Set(trainParameters.map((entry) => entry.name));
export function trainAttributeOf(name) {
  const entry = trainParameters.find((parameter) => parameter.name === name);
  return entry?.attribute || name.replaceAll('_', '-');
}
export const trainViews = Object.freeze(['curves', 'attention', 'rank']);

// The element's attributes that are no key of the page's state, with the type their JS property has
// (element-api.mjs): a choice (a string; `choices` where the list is fixed), a list (an array of `items`), a
// boolean (`presence`: a boolean attribute, true when present). The attribute reference (figure-parameters.mjs
// elementAttributes) gives their values, defaults and meanings.
export const ownAttributes = Object.freeze({
  kind: { type: 'choice', choices: figureKinds },
  controls: { type: 'choice', choices: controlLevels },
  theme: { type: 'choice', choices: themeNames },
  pattern: { type: 'list', items: 'string' },
  claim: { type: 'list', items: 'string' },
});
// A train figure's own (its train options, the registry's train parameters the lab offers, follow them).
export const trainOwnAttributes = Object.freeze({
  experiment: { type: 'choice' },
  settings: { type: 'choice' },
  view: { type: 'choice', choices: trainViews },
  configuration: { type: 'choice' },
  autorun: { type: 'boolean', presence: true },
  seeds: { type: 'list', items: 'integer' },
});
// The train options a train figure reads (parameter-registry.mjs trainOptionKeys, as the lab page offers them), as attributes.
export const trainOptionAttributes = Object.freeze(trainOptionKeys.map((key) => trainAttributeOf(key)));
export const trainAttributes = Object.freeze([...Object.keys(trainOwnAttributes), ...trainOptionAttributes]);

// Attribute names the element reads (observedAttributes): the registry's attributes of the state keys (and
// their URL spellings where those hold '_'), the element's own and a train figure's.
export const observedAttributes = Object.freeze([...new Set([...stateAttributes,
  ...Object.keys(defaultState).filter((key) => key.includes('_')), ...Object.keys(ownAttributes), ...trainAttributes])]);

// The attribute of a parameter the core names in an error (error.param), or '' when none has one.
export function attributeOfParam(param) {
  const key = keyOfParam(param);
  if (key) return attributeForKey(key);
  return param === 'pattern' || param === 'claim' ? param : '';
}

// A message as a figure's reader sees it: a parameter the core's words name (sweep_values, kind) written as the
// attribute that sets it (sweep-values, attention), through the explorer's readerMessage (url-state.mjs), so no
// internal key reaches the page; a name the attribute already shows (n, prefix, variant of depth-variant) stays.
// attribute: the attribute the error is about, if known; an error about the element's own attributes (kind: the
// figure kind, controls, theme, pattern, claim) already names it as written and is left as it is.
export function attributeWords(message, attribute = null) {
  if (Object.hasOwn(ownAttributes, attribute ?? '')) return message;
  return readerMessage(message, (key) => attributeForKey(key) ?? null);
}

function keyForAttribute(name) {
  if (keyOfAttribute.has(name)) return keyOfAttribute.get(name);
  // A URL key written as an attribute (sweep_over); kind is the figure kind, not a state key.
  return name.includes('_') && Object.hasOwn(defaultState, name) ? name : null;
}

// An attribute's text as a message echoes it (issue 16 item 10): at most kEchoBytes bytes of UTF-8 (cut on
// a character boundary), then "... (N bytes in all)", the limit and form of the core's {value} holes.
const kEchoBytes = 120;
export function echoed(text) {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= kEchoBytes) return text;
  let end = kEchoBytes;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;  // not inside a character
  return `${new TextDecoder().decode(bytes.subarray(0, end))}... (${bytes.length} bytes in all)`;
}

function choice(name, raw, allowed, fallback, limits) {
  if (raw === null) return { value: fallback };
  const value = raw.trim();
  if (!allowed.includes(value)) {
    return { error: coreWords(limits, 'unknown_choice', { param: name, value: echoed(value), choices: allowed.join(', ') }) };
  }
  return { value };
}

// read(name) -> attribute value or null; limits: the core's limits() with its messages() as
// limits.messages. Returns { figure, controls, patterns, state, errors } where errors maps an attribute
// name to its message, the core's words as they are (the first one is what the figure shows).
export function figureOptions(read, names, limits) {
  const errors = {};
  const figure = choice('kind', read('kind'), figureKinds, 'patterns', limits);
  if (figure.error) errors.kind = figure.error;
  const controls = choice('controls', read('controls'), controlLevels, 'none', limits);
  if (controls.error) errors.controls = controls.error;
  const theme = choice('theme', read('theme')?.toLowerCase() ?? null, themeNames, 'auto', limits);
  if (theme.error) errors.theme = theme.error;

  const params = new URLSearchParams();
  const attributeOf = {};
  for (const name of names) {
    const key = keyForAttribute(name);
    if (!key) continue;
    params.set(key, read(name));
    attributeOf[key] = name;
  }
  const parsed = parseState(params, limits);
  // A train figure's n, seed, layers, heads, ... are train options, checked by the figure against their train
  // ranges (the page's state it reads is lang only).
  const isTrain = figure.value === 'train';
  for (const [key, message] of Object.entries(parsed.errors)) {
    if (!(isTrain && trainParameterNames.has(key))) errors[attributeOf[key]] = message;
  }

  // Without `pattern`, the explorer's patterns for the state: the essay's four, and the window patterns
  // with windows="1" (issue 19 item 6: the Embed snippet of a six-panel explorer figure says windows="1").
  const shown = shownPatterns(parsed.state);
  let patterns = shown;
  const patternText = read('pattern');
  if (patternText !== null) {
    patterns = patternText.split(',').map((entry) => entry.trim()).filter(Boolean);
    // An unknown name (no name at all is the empty one) in the core's words, with the core's choices.
    // custom is the core's too but needs a drawn mask, which an attribute cannot give: the page's own
    // check, worded as the core words the other places custom is not available.
    const unknown = patterns.length === 0 ? '' : patterns.find((pattern) => !patternNames.includes(pattern));
    if (unknown === 'custom') {
      errors.pattern = 'pattern=custom is not available in <attn-figure> (it needs a drawn mask)';
      patterns = shown;
    } else if (unknown !== undefined) {
      errors.pattern = coreWords(limits, 'unknown_choice', { param: 'pattern', value: echoed(unknown), choices: acceptedPatternNames().join(', ') });
      patterns = shown;
    }
  }
  // Claim ids are checked for their form here and against the core's catalogue when the figure runs.
  let claims = null;
  const claimText = read('claim');
  if (claimText !== null) {
    claims = parseClaimIds(claimText);
    const malformed = claims.find((id) => !/^C[0-9]{1,3}$/.test(id));
    if (malformed !== undefined || claims.length === 0) {
      errors.claim = `claim=${echoed(malformed ?? claimText)} is not a claim id (expected a list such as C4,C17)`;
      claims = null;
    }
  }
  return { figure: figure.value ?? 'patterns', controls: controls.value ?? 'none', theme: theme.value ?? 'auto', patterns, claims, state: parsed.state, errors };
}
