// The figures' module's own exports (web/wasm/attnrank-figures.{mjs,wasm}; CMakeLists.txt links this file into
// that module and the lab module, beside bindings.cpp's): what a figure asks beyond analyze and the tables,
// so the first module every post fetches (web/wasm/attnrank.wasm) leaves their code out. The engine worker
// (web/engine/engine-worker.mjs) loads this module on the first request for one of them.
#include <emscripten/bind.h>

#include "exports.h"

EMSCRIPTEN_BINDINGS(attnrank_figures) {
  using namespace attnrank::js;
  emscripten::function("parse_npy", &parse_npy_js);
  emscripten::function("write_npy", &write_npy_js);
  emscripten::function("collapse", &collapse_js);
  emscripten::function("mixture", &mixture_js);
  emscripten::function("architectures", &architectures_js);
  emscripten::function("permutation", &permutation_js);
  emscripten::function("claims", &claims_js);
  emscripten::function("claim_catalogue", &claim_catalogue_js);
  emscripten::function("lab_experiments", &lab_experiments_js);
  emscripten::function("lab_verdicts", &lab_verdicts_js);
}
