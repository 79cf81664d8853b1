// The explorer as the host of its figures (web/views/figures/*): the state, the generation of the latest
// change, the engine of each stage (background priority, reusing the analyses of the state), the status line and
// where an error goes: a core error beside the control its parameter names (else the control changed
// last), a later stage's error beside its own control. Every message the status line or a figure shows names
// the visible control, never an internal key (url-state.mjs readerMessage, as the controls' own error boxes
// do). The controls, the URL and the order of the stages are main.mjs's.
import { keyOfParam, readerMessage } from '../../state/url-state.mjs';
import { byId } from './elements.mjs';
import { KnownResults, stageEngine } from './engine.mjs';
import { errorText } from './errors.mjs';

export class PageHost {
  constructor({ pool, controls, text }) {
    Object.assign(this, { pool, controls, text });
    this.limits = null;
    this.state = null;
    this.generation = 0;
    this.lastChanged = null;
    this.changeStarted = 0;
    this.known = new KnownResults();  // the current state's analyses (no matrix), for reuse by later stages
    this.coreErrorKeys = new Set();  // controls showing an error the core returned (cleared by the next success)
    this.stageErrorKeys = new Map();  // stage -> the control showing the error that stage returned
    this.renderWords = () => {};  // redraws the words beside the figures (set by main.mjs)
  }

  isCurrent(generation) {
    return generation === this.generation;
  }

  // The engine of stage `stage` (slots `stage`, `stage:part`) for the current state's analyses.
  engine(stage, { priority = 'background', reuse = true } = {}) {
    return stageEngine(this.pool, stage, { known: reuse ? this.known : null, priority });
  }

  // The words a reader sees for an error (status line, a figure's own error): engine failures in the page's
  // language, and a parameter the core names (sweep_values, variant) as the label of its visible control.
  errorText(error) {
    return readerMessage(errorText(error, this.text), (key) => this.controls.labelOf(key));
  }

  setStatus(key, params) {
    byId('engine-status').textContent = this.text(key, params);
  }

  // The control a core error belongs to: the parameter the core names (error.param), else the control
  // changed last.
  #errorKey(error) {
    const key = keyOfParam(error?.param);
    if (key && this.controls.field(key)) return key;
    return this.lastChanged;
  }

  // Returns whether the message went beside a control (else it is in the status line).
  showCoreError(error) {
    const key = this.#errorKey(error);
    if (key) this.coreErrorKeys.add(key);
    const isBesideControl = Boolean(key) && this.controls.showError(key, errorText(error, this.text));  // it rewords
    if (!isBesideControl) byId('engine-status').textContent = this.errorText(error);
    document.body.dataset.lastError = this.errorText(error);
    return isBesideControl;
  }

  clearCoreErrors() {
    for (const key of this.coreErrorKeys) this.controls.clearError(key);
    this.coreErrorKeys.clear();
  }

  // A later stage's own error (layers, heads, sweep values) goes beside the control its param names (a
  // mixture's "d_model=8 must be a multiple of heads=6" beside d), else beside the stage's control; it is
  // cleared when the stage runs again. A validation error there (a bad URL value) stays until the control
  // changes. A memory-budget refusal (too_large) names n as the size to lower, but it refuses the stage's
  // whole request (heads' "lower n, or leave out the matrices" on Run): it goes beside the stage's control.
  showStageError(stage, error) {
    const named = error?.code === 'too_large' ? null : keyOfParam(error?.param);
    const key = named && this.controls.field(named) ? named : stage;
    this.stageErrorKeys.set(stage, key);
    this.controls.showError(key, errorText(error, this.text));  // the control box rewords it (readerMessage)
  }

  clearStageError(stage) {
    const key = this.stageErrorKeys.get(stage);
    if (key === undefined) return;
    this.stageErrorKeys.delete(stage);
    this.controls.clearError(key);
  }

  showExportError(error) {
    byId('engine-status').textContent = this.errorText(error);
  }
}
