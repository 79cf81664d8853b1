// The controls panel <-> the state object (web/state/url-state.mjs): writes state values into the form
// fields, reads a field's raw text for validateField, shows or clears the validation error beside a
// field (its role=alert element). Sliders mirror a text field (n and s on log2 sliders) and follow it. No validation
// and no defaults here: those live in url-state.mjs and the core's parameter registry (the fields
// themselves are built from it by control-fields.mjs). An error shown beside a field names the controls the
// reader sees (url-state.mjs readerMessage: the visible label instead of an internal key such as sweep_values).
import { readerMessage } from '../state/url-state.mjs';

// The state values of a checkbox field checked / unchecked: true / false for the registry's booleans (rope,
// windows); a choice of two shown as one checkbox (colour_range) carries its values as data-checked/unchecked.
function checkboxValues(element) {
  if (element?.type !== 'checkbox') return null;
  return 'checked' in element.dataset ? [element.dataset.checked, element.dataset.unchecked] : [true, false];
}

export class Controls {
  constructor(root) {
    this.root = root;
  }

  field(key) {
    return this.root.querySelector(`#control-${key}`);
  }

  keys() {
    return [...this.root.querySelectorAll('[id^="control-"]')].map((element) => element.id.slice('control-'.length));
  }

  // Writes every key of state that has a control.
  write(state) {
    for (const key of this.keys()) {
      if (key in state) this.writeOne(key, state[key]);
    }
  }

  writeOne(key, value) {
    const element = this.field(key);
    if (!element) return;
    const box = checkboxValues(element);
    if (box) {
      element.checked = value === box[0];
    } else {
      element.value = value === null || value === undefined ? '' : String(value);
    }
    this.syncSlider(key, value);
  }

  // The raw text of a field, as it would appear in the URL.
  raw(key) {
    const element = this.field(key);
    const box = checkboxValues(element);
    if (box) return String(box[element.checked ? 0 : 1]);
    return element.value.trim();
  }

  // Moves the slider of `key` (if any) to `value`: on a log2 slider to log2(value). A value beyond the
  // slider's span leaves it at its end, says so beside it (slider-note-KEY) and in its aria-valuetext, which
  // always reads the value itself rather than the slider's position.
  syncSlider(key, value) {
    const slider = this.root.querySelector(`[data-slider-for="${key}"]`);
    if (!slider || typeof value !== 'number' || !Number.isFinite(value)) return;
    const isLog2 = slider.dataset.sliderScale === 'log2';
    const position = isLog2 ? (value > 0 ? Math.log2(value) : -Infinity) : value;
    const isBeyond = position < Number(slider.min) || position > Number(slider.max);
    slider.value = String(Math.min(Number(slider.max), Math.max(Number(slider.min), position)));
    slider.setAttribute('aria-valuetext', String(value));
    slider.dataset.beyond = String(isBeyond);
    const note = this.root.ownerDocument.getElementById(`slider-note-${key}`);
    if (note) note.hidden = !isBeyond;
  }

  // The text-field value a slider position stands for (a log2 slider: 2^position, rounded for an integer).
  sliderText(slider) {
    const position = Number(slider.value);
    const value = slider.dataset.sliderScale === 'log2' ? 2 ** position : position;
    if (slider.dataset.integer === 'true') return String(Math.round(value));
    return String(Number(value.toPrecision(6)));
  }

  // The visible label of the control of `key` (its language's words), or null.
  labelOf(key) {
    const label = this.root.querySelector(`label[for="control-${key}"]`);
    return label ? label.textContent.trim() : null;
  }

  showError(key, message) {
    const box = this.root.ownerDocument.getElementById(`error-${key}`);
    if (!box) return false;
    box.textContent = readerMessage(message, (name) => this.labelOf(name));
    box.hidden = false;
    this.field(key)?.setAttribute('aria-invalid', 'true');
    return true;
  }

  clearError(key) {
    const box = this.root.ownerDocument.getElementById(`error-${key}`);
    if (box) box.hidden = true;
    this.field(key)?.removeAttribute('aria-invalid');
  }

  clearErrors() {
    for (const key of this.keys()) this.clearError(key);
  }

  // The keys whose error box is showing.
  errorKeys() {
    return this.keys().filter((key) => {
      const box = this.root.ownerDocument.getElementById(`error-${key}`);
      return box && !box.hidden;
    });
  }
}
