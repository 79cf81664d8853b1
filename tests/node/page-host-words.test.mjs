// node --test on the explorer's status line (issue 17 review, item 5): an error that reaches the status line
// (no control to stand beside, or an export's) names the visible control, never an internal key, through the
// one function the controls' error boxes use (url-state.mjs readerMessage); the control boxes still get the
// core's words once (they reword them themselves). A stand-in document holds the two elements PageHost writes.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { PageHost } from '../../web/views/figures/page-host.mjs';

const kLabels = { sweep_values: 'values (comma-separated)', depth_variant: 'block', n: 'n (tokens)' };
let status;
let shownBeside;

beforeEach(() => {
  status = { textContent: '' };
  shownBeside = [];
  globalThis.document = { getElementById: (id) => (id === 'engine-status' ? status : null), body: { dataset: {} } };
});

// Controls with labels for kLabels' keys; `placed`: the keys that have a field and an error box.
function controls(placed) {
  return {
    labelOf: (key) => kLabels[key] ?? null,
    field: (key) => (placed.includes(key) ? {} : null),
    showError: (key, message) => {
      if (!placed.includes(key)) return false;
      shownBeside.push([key, message]);
      return true;
    },
  };
}

const text = (key) => key;

test('a core error with no control beside which to stand reads in the status line by the visible label', () => {
  const host = new PageHost({ pool: null, controls: controls([]), text });
  host.lastChanged = null;
  const error = Object.assign(new Error('variant=skip+foo is unknown (expected pure, or skip, mlp, layernorm joined by \'+\')'),
    { param: 'variant' });
  assert.equal(host.showCoreError(error), false);
  assert.match(status.textContent, /^block=skip\+foo is unknown/, status.textContent);
  assert.doesNotMatch(status.textContent, /\bvariant\b/);
  assert.equal(document.body.dataset.lastError, status.textContent);
});

test('an export error and a figure\'s error text name the control; a control box gets the core\'s words once', () => {
  const host = new PageHost({ pool: null, controls: controls(['n']), text });
  host.showExportError(new Error('sweep_values: nothing swept yet'));
  assert.equal(status.textContent, 'values: nothing swept yet');
  assert.equal(host.errorText(new Error('sweep_values: 0 must be > 0')), 'values: 0 must be > 0');
  host.showCoreError(Object.assign(new Error('n=0 must be in [1, 4096]'), { param: 'n' }));
  assert.deepEqual(shownBeside, [['n', 'n=0 must be in [1, 4096]']]);
});
