// The few inputs an <attn-figure controls="compact|full"> shows above itself. An input writes the
// host's attribute (the attribute is the figure's state, as the URL is the page's), so validation and
// errors take the one path every attribute takes. DOM via createElement/textContent only. Each input's
// kind (a select of the choices, or a text field with its input mode) and label come from the core's
// parameter registry (state/parameter-registry.mjs), by attribute name.
import { formatTickValue } from '../render/canvas-util.mjs';
import { automaticLogFloor } from '../render/colormap.mjs';
import { urlParameters } from '../state/parameter-registry.mjs';

const compactFields = ['n', 'scale', 'seed'];
const fullFields = ['n', 'd', 'scale', 'seed', 'prefix', 'precision', 'attention', 'colour', 'colour-range'];
const entryOfAttribute = new Map(urlParameters.map((entry) => [entry.attribute, entry]));

// The value an input shows for attribute `name` under state: its URL key's (attention: state.kind, colour-range:
// state.colour_range).
function shownValue(name, state) {
  const value = state[entryOfAttribute.get(name)?.url_key ?? name];
  return value === null || value === undefined ? '' : String(value);
}

export class FigureControls {
  // box: the element to fill; onChange(name, value): writes the host attribute.
  constructor(box, onChange) {
    this.box = box;
    this.onChange = onChange;
    this.level = 'none';
    this.inputs = new Map();
  }

  // Rebuilds the inputs for the level and language; fills them from state.
  render(level, state, text) {
    this.level = level;
    this.inputs.clear();
    this.box.hidden = level === 'none';
    if (level === 'none') {
      this.box.replaceChildren();
      return;
    }
    const fields = level === 'full' ? fullFields : compactFields;
    const labels = fields.map((name) => {
      const label = document.createElement('label');
      const caption = document.createElement('span');
      const entry = entryOfAttribute.get(name);
      caption.textContent = text(entry.words_key);
      let input;
      if (entry.type === 'choice') {
        input = document.createElement('select');
        for (const option of entry.choices) {
          const entry = document.createElement('option');
          entry.value = option;
          entry.textContent = option;
          input.append(entry);
        }
      } else {
        input = document.createElement('input');
        input.type = 'text';
        input.inputMode = entry.type === 'number' ? 'decimal' : 'numeric';
        input.autocomplete = 'off';
      }
      input.name = name;
      input.value = shownValue(name, state);
      input.addEventListener('change', () => this.onChange(name, input.value));
      label.append(caption, input);
      this.inputs.set(name, input);
      return label;
    });
    this.box.replaceChildren(...labels);
    this.text = text;
    this.#describeAutomaticColour(state);
  }

  // Shows state's values without rebuilding (keeps focus).
  sync(state) {
    for (const [name, input] of this.inputs) {
      if (input !== input.getRootNode().activeElement) input.value = shownValue(name, state);
    }
    this.#describeAutomaticColour(state);
  }

  // The colour select's "auto" option says the scale it draws at this n (as the explorer's does).
  #describeAutomaticColour(state) {
    const option = this.inputs.get('colour')?.querySelector('option[value="auto"]');
    if (option && this.text) option.textContent = this.text('control.colour.auto_is', { floor: formatTickValue(automaticLogFloor(state.n)) });
  }
}
