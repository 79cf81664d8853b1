// The lab module's own exports (web/wasm/attnrank-lab.{mjs,wasm}; CMakeLists.txt links this file into that
// module only, beside bindings.cpp's and figures_bindings.cpp's): the training lab's runs (the lab worker, web/engine/lab-worker.mjs)
// and the core's tables of parameters and results (the node tools and tests: scripts/, tests/node/). The
// figures' modules (attnrank.wasm, attnrank-figures.wasm) have none of them, so the code behind them is not in what a post fetches.
#include <emscripten/bind.h>

#include "exports.h"

EMSCRIPTEN_BINDINGS(attnrank_lab) {
  using namespace attnrank::js;
  emscripten::function("parameters", &parameters_js);
  emscripten::function("result_fields", &result_fields_js);
  emscripten::function("lab_set_corpus", &lab_set_corpus_js);
  emscripten::function("lab_start", &lab_start_js);
  emscripten::function("lab_advance", &lab_advance_js);
  emscripten::function("lab_checkpoints", &lab_checkpoints_js);
  emscripten::function("lab_attention", &lab_attention_js);
  emscripten::function("lab_save", &lab_save_js);
  emscripten::function("lab_load", &lab_load_js);
  emscripten::function("lab_stop", &lab_stop_js);
  emscripten::function("lab_destroy", &lab_destroy_js);
}
