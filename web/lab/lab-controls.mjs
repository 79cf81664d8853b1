// The lab's settings form: the experiment (a select of lab_experiments(), titled in the page's language by
// the core's words), the seeds, and one text field per train option the page offers (lab-state.mjs
// optionKeys; placeholder: the experiment's default, the core's), each with its error box beside it, the
// explorer's markup (views/control-fields.mjs: label, input, p.field-error role=alert). Reads raw text,
// shows errors (url-state.mjs readerMessage: an internal name becomes the visible label); no validation here.
import { readerMessage } from '../state/url-state.mjs';
import { labDefaults, optionKeys } from './lab-state.mjs';

function make(document, tag, attributes = {}) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

// The words key of a setting's label.
export function labelKeyOf(key) {
  if (key === 'experiment') return 'lab.experiment';
  if (key === 'seeds') return 'lab.seeds';
  return `lab.option.${key}`;
}

export class LabControls {
  #form;
  #fields = new Map();  // key -> { input, error, label }

  // form: the page's form; onChange(key, rawText) on every committed edit.
  constructor(form, onChange) {
    this.#form = form;
    const document = form.ownerDocument;
    const place = (box, key, element) => {
      const id = `lab-control-${key}`;
      const label = make(document, 'label', { for: id, 'data-i18n': labelKeyOf(key) });
      const input = element === 'select' ? make(document, 'select', { id, name: key })
        : make(document, 'input', { id, name: key, type: 'text', autocomplete: 'off', inputmode: key === 'learning_rate' ? 'decimal' : 'numeric' });
      const error = make(document, 'p', { id: `lab-error-${key}`, class: 'field-error', role: 'alert' });
      error.hidden = true;
      input.setAttribute('aria-describedby', error.id);
      box.replaceChildren(label, input, error);
      input.addEventListener('change', () => onChange(key, input.value));
      this.#fields.set(key, { input, error, label });
    };
    place(form.querySelector('[data-lab-field="experiment"]'), 'experiment', 'select');
    place(form.querySelector('[data-lab-field="seeds"]'), 'seeds', 'text');
    const options = form.querySelector('#lab-option-fields');
    for (const key of optionKeys) {
      const box = make(document, 'div', { class: 'field', 'data-lab-field': key });
      options.append(box);
      place(box, key, 'text');
    }
  }

  // Fills the fields from state; experiments: lab_experiments()'s list; experiment: the chosen one.
  show(state, experiments, experiment, text, lang) {
    const select = this.#fields.get('experiment').input;
    select.replaceChildren(...experiments.map((entry) => {
      const option = select.ownerDocument.createElement('option');
      option.value = entry.id;
      option.textContent = lang === 'zh' ? entry.title_zh : entry.title_en;
      return option;
    }));
    select.value = experiment.id;
    const seeds = this.#fields.get('seeds').input;
    seeds.value = state.seeds === null ? '' : state.seeds.join(',');
    seeds.placeholder = text('lab.default', { value: experiment.seeds.join(',') });
    for (const key of optionKeys) {
      const { input } = this.#fields.get(key);
      input.value = state[key] === null || state[key] === labDefaults[key] ? '' : String(state[key]);
      input.placeholder = text('lab.default', { value: experiment.options[key] });
    }
    // Options the state sets are shown (a link that sets them opens them).
    if (optionKeys.some((key) => state[key] !== null)) this.#form.querySelector('#lab-options').open = true;
  }

  // Shows message beside key's control (null clears it); the message's internal names read as the labels.
  showError(key, message, text) {
    const field = this.#fields.get(key);
    if (!field) return false;
    field.error.hidden = message === null;
    field.error.textContent = message === null ? '' : readerMessage(message, (name) => text(labelKeyOf(name)),
      (name) => (this.#fields.has(name) ? name : ''));
    if (message === null) field.input.removeAttribute('aria-invalid');
    else field.input.setAttribute('aria-invalid', 'true');
    if (message !== null && optionKeys.includes(key)) this.#form.querySelector('#lab-options').open = true;
    return true;
  }

  clearErrors() {
    for (const key of this.#fields.keys()) this.showError(key, null, () => '');
  }

  hasField(key) { return this.#fields.has(key); }

  focus(key) { this.#fields.get(key)?.input.focus(); }

  setDisabled(isDisabled) {
    for (const { input } of this.#fields.values()) input.disabled = isDisabled;
  }
}
