// The wasm modules' exports (Embind): the names JS calls, each bound to its function in exports.h. The
// JS boundary (reading configs, converting results, throwing errors) lives in the js_*.{h,cpp} files;
// each concern's functions in its own *_binding.cpp. No numerics here: everything on screen comes from
// the core.
// Three modules link these objects (CMakeLists.txt), each registering a superset of the one before:
// - the first module (web/wasm/attnrank.{mjs,wasm}, this file's exports only): what every post and the
//   explorer fetch before their first figure: analyze (the patterns, spectra, linear, raises-rank, sweep and
//   stats figures) and the module's tables and words;
// - the figures' module (web/wasm/attnrank-figures.{mjs,wasm}: these and figures_bindings.cpp's), which the
//   engine worker loads on the first request the first module lacks (collapse, heads, architectures,
//   claims, .npy, the lab's tables and verdicts), or at once for a page whose first figure needs it;
// - the lab module (web/wasm/attnrank-lab.{mjs,wasm}: those and lab_bindings.cpp's), the lab worker's and
//   the node tools'.
// The linker keeps only what a module's exports reach, so what the first figure never calls stays out of
// the module every post fetches.
#include <emscripten/bind.h>

#include "exports.h"

EMSCRIPTEN_BINDINGS(attnrank) {
  using namespace attnrank::js;
  emscripten::function("analyze", &analyze_js);
  emscripten::function("limits", &limits_js);
  emscripten::function("messages", &messages_js);
  emscripten::function("pattern_names", &pattern_names_js);
  emscripten::function("feature_map_names", &feature_map_names_js);
  emscripten::function("version", &version_js);
  emscripten::function("depth_pattern_names", &depth_pattern_names_js);
  emscripten::function("patterns", &patterns_js);
  emscripten::function("memory_usage", &memory_usage_js);
}
