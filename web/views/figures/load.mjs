// The user-Q/K figure (explorer only): the reader's own Q and K (.npy parsed by the core's reader in a
// worker, JSON by load-view.mjs), the essay's four patterns analysed on them. Its analyses: analyze() of
// each pattern under the state's scale, precision, kind and pattern parameters, with n, d, Q and K from
// the files instead of the seeded inputs; one superseding slot per pattern (`load:<pattern>`).
import { parameters } from '../../state/parameter-registry.mjs';
import { configFor } from '../../state/url-state.mjs';
import { LoadView } from '../load-view.mjs';
import { PatternsView, mainPatterns } from '../patterns-view.mjs';
import { byId } from './elements.mjs';
import { isStale } from './errors.mjs';

// The parameters the core refuses beside q and k (the seeded inputs' own: the registry's refused_with_q_k).
export const refusedWithQK = Object.freeze(parameters.filter((entry) => entry.refused_with_q_k).map((entry) => entry.name));

export function loadConfig(state, pattern, { q, k, n, d }) {
  const config = configFor(state, pattern, { want_matrix: true, n, d });
  for (const key of refusedWithQK) delete config[key];
  if (state.prefix === null) delete config.prefix;
  return { ...config, q, k };
}

export class LoadSection {
  constructor(host, { onNpy, onResults = null }) {
    this.host = host;
    this.onResults = onResults;  // a result of the loaded inputs was drawn (the exports become ready)
    this.patterns = new PatternsView(byId('load-grid'), host.text, { onNpy, onError: (error) => host.showExportError(error) });
    this.view = new LoadView({ dropZone: byId('load-drop'), qInput: byId('load-q'), kInput: byId('load-k'),
      summary: byId('load-summary'), error: byId('error-load'), analyzeButton: byId('load-analyze') },
    { parseNpy: (bytes, label) => host.pool.call('parse_npy', bytes, label), onAnalyze: (inputs) => this.analyze(inputs),
      text: host.text });
  }

  analyze(inputs) {
    const { host, patterns: grid } = this;
    const engine = host.engine('load', { priority: 'interactive', reuse: false });
    grid.setPatterns(mainPatterns);
    this.view.showError(null);
    for (const pattern of mainPatterns) {
      grid.setBusy(pattern, true);
      engine.request(pattern, 'analyze', loadConfig(host.state, pattern, inputs))
        .then((result) => {
          grid.showResult(pattern, result);
          this.onResults?.();
        })
        .catch((error) => {
          if (isStale(error)) return;
          grid.setBusy(pattern, false);
          this.view.showError(error.message);
        });
    }
  }

  setText(text) {
    this.view.setText(text);
    this.patterns.setText(text);
  }
}
