// The wasm modules' exports (Embind): the names JS calls, each bound to its function in exports.h. The
// JS boundary (reading configs, converting results, throwing errors) lives in the js_*.{h,cpp} files;
// each concern's functions in its own *_binding.cpp. No numerics here: everything on screen comes from
// the core.
// Two modules link these objects (CMakeLists.txt): the figures' module (web/wasm/attnrank.{mjs,wasm}, the
// engine worker's: this file's exports only) and the lab module (web/wasm/attnrank-lab.{mjs,wasm}, the lab
// worker's and the node tools': these exports and lab_bindings.cpp's). What the figures never call (a
// training run, the registry's and the results' tables) stays out of the module every post fetches.
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
  emscripten::function("parse_npy", &parse_npy_js);
  emscripten::function("write_npy", &write_npy_js);
  emscripten::function("collapse", &collapse_js);
  emscripten::function("mixture", &mixture_js);
  emscripten::function("architectures", &architectures_js);
  emscripten::function("permutation", &permutation_js);
  emscripten::function("depth_pattern_names", &depth_pattern_names_js);
  emscripten::function("patterns", &patterns_js);
  emscripten::function("memory_usage", &memory_usage_js);
  emscripten::function("claims", &claims_js);
  emscripten::function("claim_catalogue", &claim_catalogue_js);
  emscripten::function("lab_experiments", &lab_experiments_js);
  emscripten::function("lab_verdicts", &lab_verdicts_js);
}
