// The explorer's controls, built from the core's parameter registry (state/parameter-registry.mjs) at
// start-up. Why generated into the markup's places rather than written in it: web/index.html keeps the
// layout (which fieldset or section holds a control, in what order, its width) as one empty
// <div data-field="KEY"> per control, because the registry says nothing about layout; what a control is
// made of comes from the registry, once: the element by type (integer and number: a text field with its
// input mode; choice: a select of the registry's choices; boolean: a checkbox), the label's words key,
// the choices, the id/name (the URL key). The few presentation choices the registry cannot hold stay
// on the placeholder: data-slider-min/max/step (a slider beside the text, its span clamped to the
// registry's range), data-slider-scale="log2" (its positions are log2 of the value: n from 1 to 4096 and s
// from 1/16 to 16 on one slider each; controls.mjs maps them), data-checked (a choice of two shown
// as one checkbox, checked = that choice). A page parameter with no place yet (new in the registry) gets
// one at the end of the form's first fieldset, so it works before anyone places it; placing it is one line
// of index.html. fieldSpec() is pure (node tests read it); buildControlFields() fills the page. The labels
// get their English text here and every language's through data-i18n.
import { urlParameters } from '../state/parameter-registry.mjs';

const byKey = new Map(urlParameters.map((entry) => [entry.url_key, entry]));

// The words key prefix of a choice parameter's options (`${prefix}${choice}`), where the tables have
// them; an option with no key shows its value (sweep_over's n and d).
const choiceWords = {
  precision: 'precision.', kind: 'kind.', feature: 'feature.', lang: 'lang.', sweep_over: 'chart.',
  sweep_stat: 'stat.', depth_variant: 'depth.variant.', depth_metric: 'depth.metric.',
};

// The registry entry of URL key `key`, or undefined.
export function entryOfKey(key) { return byKey.get(key); }

// What the control of URL key `key` is, from the registry: { element: 'text' | 'select' | 'checkbox',
// inputMode, labelKey, options: [{ value, labelKey }] (labelKey null: the value shown), checked:
// [checked value, unchecked value] }. checkedChoice: the choice a checkbox stands for (data-checked).
// words: the English table (a key it lacks is no option label).
export function fieldSpec(key, { checkedChoice = null, words = {} } = {}) {
  const entry = byKey.get(key);
  if (!entry) throw new TypeError(`control ${key}: not a URL key of the parameter registry`);
  const spec = { key, labelKey: entry.words_key, element: 'text', inputMode: null, options: [], checked: null };
  if (entry.type === 'boolean') {
    return { ...spec, element: 'checkbox', checked: [true, false] };
  }
  if (entry.type === 'choice' && checkedChoice !== null) {
    const other = entry.choices.filter((choice) => choice !== checkedChoice);
    if (!entry.choices.includes(checkedChoice) || other.length !== 1) {
      throw new TypeError(`control ${key}: data-checked=${checkedChoice} needs two choices, one of them it`);
    }
    return { ...spec, element: 'checkbox', checked: [checkedChoice, other[0]] };
  }
  if (entry.type === 'choice') {
    const options = entry.choices.map((value) => {
      const labelKey = `${choiceWords[key] ?? `${entry.words_key}.`}${value}`;
      return { value, labelKey: Object.hasOwn(words, labelKey) ? labelKey : null };
    });
    return { ...spec, element: 'select', options };
  }
  const inputMode = entry.type === 'integer' ? 'numeric' : entry.type === 'number' ? 'decimal' : null;
  return { ...spec, inputMode };
}

// The URL keys of the registry's page parameters with no place among `placed` (a Set of keys), in URL order.
export function unplacedKeys(placed) {
  return urlParameters.map((entry) => entry.url_key).filter((key) => !placed.has(key));
}

// A slider's bounds: the placeholder's span within the registry's range (on a log2 slider, within log2 of
// it; scale has no range).
export function sliderBounds(key, min, max, isLog2 = false) {
  const entry = byKey.get(key);
  if (!entry || entry.min === null) return { min, max };
  const [low, high] = isLog2 ? [Math.log2(Math.max(entry.min, Number.MIN_VALUE)), Math.log2(entry.max)] : [entry.min, entry.max];
  return { min: Math.max(min, low), max: Math.min(max, high) };
}

function make(document, tag, attributes = {}) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) element.setAttribute(name, value);
  }
  return element;
}

// Fills every [data-field] placeholder under root with its control (label, input, error box); words: the
// English table (strings-en.mjs), the text before applyStrings() writes the page's language.
export function buildControlFields(root, words) {
  const document = root.ownerDocument ?? root;
  const placed = new Set([...root.querySelectorAll('[data-field]')].map((box) => box.dataset.field));
  const firstFieldset = root.querySelector('form fieldset');
  for (const key of unplacedKeys(placed)) firstFieldset?.append(make(document, 'div', { class: 'field', 'data-field': key }));
  for (const box of root.querySelectorAll('[data-field]')) {
    const key = box.dataset.field;
    const spec = fieldSpec(key, { checkedChoice: box.dataset.checked ?? null, words });
    const id = `control-${key}`;
    const label = make(document, 'label', { for: id, 'data-i18n': spec.labelKey });
    label.textContent = words[spec.labelKey] ?? key;
    const error = make(document, 'p', { id: `error-${key}`, class: 'field-error', role: 'alert', hidden: '' });
    let input;
    if (spec.element === 'select') {
      input = make(document, 'select', { id, name: key, 'aria-describedby': `error-${key}` });
      for (const option of spec.options) {
        const element = make(document, 'option', { value: option.value, 'data-i18n': option.labelKey });
        element.textContent = option.labelKey ? words[option.labelKey] : option.value;
        input.append(element);
      }
    } else if (spec.element === 'checkbox') {
      input = make(document, 'input', { id, name: key, type: 'checkbox', 'aria-describedby': `error-${key}` });
      if (typeof spec.checked[0] === 'string') Object.assign(input.dataset, { checked: spec.checked[0], unchecked: spec.checked[1] });
      box.classList.add('field-check');
      box.replaceChildren(input, label, error);
      continue;
    } else {
      input = make(document, 'input', { id, name: key, type: 'text', inputmode: spec.inputMode, autocomplete: 'off',
        'aria-describedby': `error-${key}` });
    }
    if ('sliderMin' in box.dataset) {
      const isLog2 = box.dataset.sliderScale === 'log2';
      const { min, max } = sliderBounds(key, Number(box.dataset.sliderMin), Number(box.dataset.sliderMax), isLog2);
      const sliderKey = `slider.${key}`;
      const slider = make(document, 'input', { id: `slider-${key}`, type: 'range', min: String(min), max: String(max),
        step: box.dataset.sliderStep, 'aria-label': words[sliderKey], 'data-i18n-aria': sliderKey, 'data-slider-for': key,
        'data-slider-scale': isLog2 ? 'log2' : null, 'data-integer': spec.inputMode === 'numeric' ? 'true' : null });
      const pair = make(document, 'div', { class: 'field-pair' });
      pair.append(input, slider);
      // Said when the typed value lies beyond the slider's span (the slider then rests at its end).
      const beyond = make(document, 'p', { id: `slider-note-${key}`, class: 'field-note', 'data-i18n': 'slider.beyond', hidden: '' });
      beyond.textContent = words['slider.beyond'] ?? '';
      box.replaceChildren(label, pair, beyond, error);
    } else {
      box.replaceChildren(label, input, error);
    }
  }
}
