// Every function the wasm modules export, one line each; bindings.cpp (every module: analyze and the tables),
// figures_bindings.cpp (the figures' module and the lab module: the other figures' requests) and
// lab_bindings.cpp (the lab module only: parameters, result_fields, the lab's runs) register them under these
// names with Embind. Each is defined in the binding file of its concern:
//   analyze_binding.cpp      analyze, claims, claim_catalogue
//   npy_binding.cpp          parse_npy, write_npy
//   experiments_binding.cpp  collapse, mixture, architectures, permutation
//   module_info_binding.cpp  limits, messages, patterns, pattern_names, depth_pattern_names,
//                            feature_map_names, result_fields, memory_usage, version
//   lab_binding.cpp          lab_set_corpus, lab_start, lab_advance, lab_checkpoints, lab_attention,
//                            lab_save, lab_load, lab_stop, lab_destroy (the training lab's runs),
//                            lab_experiments, lab_verdicts (its experiments table and verdicts)
// Conventions of all of them: a config is a plain object, an unknown key is an error listing the known
// ones, a missing key takes the CLI's default, arrays are copied out, and every error is a real JS Error
// with the core's message, `code` (error_code_name) and `param` (js_boundary.h).
#pragma once

#include <emscripten/val.h>

#include <string>

namespace attnrank::js {

using emscripten::val;

val analyze_js(val config);
val claims_js(val config);
val claim_catalogue_js();

val parse_npy_js(val bytes, val label);
val write_npy_js(val data, val rows, val cols, val precision);

val collapse_js(val config);
val mixture_js(val config);
val architectures_js(val config);
val permutation_js(val config);

val limits_js();
val messages_js();
val patterns_js();
val parameters_js();
val result_fields_js();
val pattern_names_js();
val depth_pattern_names_js();
val feature_map_names_js();
val memory_usage_js();
std::string version_js();

val lab_set_corpus_js(val text);
val lab_start_js(val config);
val lab_advance_js(val id, val steps);
val lab_checkpoints_js(val id, val from);
val lab_attention_js(val id);
val lab_save_js(val id);
val lab_load_js(val id, val bytes);
val lab_stop_js(val id);
val lab_destroy_js(val id);
val lab_experiments_js();
val lab_verdicts_js(val records, val step);

}  // namespace attnrank::js
