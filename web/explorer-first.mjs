// The explorer's modules of its first view, in one module that main.mjs imports once it has started the engine's
// workers: the URL state, the strings, the controls, the patterns and their spectra, the words beside them and
// the export bars (their actions load when first used). The site build (scripts/bundle.mjs bundleExplorer)
// makes this module's graph one chunk; explorer-later.mjs holds the figures below.
export { parseState, serializeState, switchSweepAxis, validateField } from './state/url-state.mjs';
export { applyStrings, enStrings, loadLanguage, pickLanguage, t } from './i18n/strings.mjs';
export { Controls } from './views/controls.mjs';
export { buildControlFields } from './views/control-fields.mjs';
export { KnownResults } from './views/figures/engine.mjs';
export { PageHost } from './views/figures/page-host.mjs';
export { PatternsSection } from './views/figures/patterns.mjs';
export { SpectraSection } from './views/figures/spectra.mjs';
export { claimsStyleSheet } from './views/claims-style.mjs';
export { tableStyleSheet } from './views/table-fit.mjs';
export { forcedColoursStyleSheet } from './views/forced-colours.mjs';
export { renderWords } from './views/words.mjs';
export { attachExports } from './views/exports-bar.mjs';
