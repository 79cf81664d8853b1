// The wasm module's exports (Embind): the names JS calls, each bound to its function in exports.h. The
// JS boundary (reading configs, converting results, throwing errors) lives in the js_*.{h,cpp} files;
// each concern's functions in its own *_binding.cpp. No numerics here: everything on screen comes from
// the core.
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
  emscripten::function("parameters", &parameters_js);
  emscripten::function("result_fields", &result_fields_js);
  emscripten::function("memory_usage", &memory_usage_js);
  emscripten::function("claims", &claims_js);
  emscripten::function("claim_catalogue", &claim_catalogue_js);
  emscripten::function("lab_set_corpus", &lab_set_corpus_js);
  emscripten::function("lab_start", &lab_start_js);
  emscripten::function("lab_advance", &lab_advance_js);
  emscripten::function("lab_checkpoints", &lab_checkpoints_js);
  emscripten::function("lab_attention", &lab_attention_js);
  emscripten::function("lab_save", &lab_save_js);
  emscripten::function("lab_load", &lab_load_js);
  emscripten::function("lab_stop", &lab_stop_js);
  emscripten::function("lab_destroy", &lab_destroy_js);
  emscripten::function("lab_experiments", &lab_experiments_js);
  emscripten::function("lab_verdicts", &lab_verdicts_js);
}
