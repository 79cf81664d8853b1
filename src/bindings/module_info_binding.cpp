// What the module says about itself: the core's ranges, words, pattern registry and names, its memory,
// its version. Plain data, no request.
#include <emscripten/heap.h>
#include <emscripten/stack.h>

#include <malloc.h>

#include "attnrank/attention/linear_attention.h"
#include "attnrank/base/pattern_registry.h"
#include "attnrank/io/parameter_fields.h"
#include "attnrank/io/result_fields.h"
#include "exports.h"
#include "js_convert.h"

#ifndef ATTNRANK_VERSION
#define ATTNRANK_VERSION "unknown"
#endif

namespace attnrank::js {

// limits() -> {n: {min, max}, d: {...}, ...} from param_ranges.h, in its order; messages() ->
// {out_of_range: "{param}={value} must be in [{min}, {max}]", ...}: the core's shared words (errors.h
// kWords), so the page words its own checks of URL text as the core does. Both trees are the core's
// (result_fields.h limits_result, messages_result: `attnrank limits` prints the first).
val limits_js() { return to_js(limits_result()); }
val messages_js() { return to_js(messages_result()); }

// patterns() -> the pattern registry (result_fields.h pattern_registry_result): ids, words, parameters,
// groups, display order and colours of the patterns and the depth schedules.
val patterns_js() { return to_js(pattern_registry_result()); }
// parameters() -> the parameter registry (parameter_fields.h): per parameter its type, range or choices,
// defaults, CLI flag, URL key, attribute, requests and label key; the page's copy is checked against it.
val parameters_js() { return to_js(parameter_registry_result()); }
// result_fields() -> the description of every result (result_fields.h result_schemas_result: per result
// its fields with type and meaning, its scalar keys), from which docs/result-schema.md and the page's
// web/state/result-fields.mjs are generated.
val result_fields_js() { return to_js(result_schemas_result()); }
val pattern_names_js() { return string_array(pattern_names()); }
val depth_pattern_names_js() { return string_array(depth_schedule_names()); }
val feature_map_names_js() { return string_array(feature_map_names()); }

// memory_usage() -> {heap_bytes, footprint, max_footprint, in_use, stack_pointer, default_budget_mib}
// (result_fields.h memory_usage_result names the keys): the wasm memory's size, the allocator's current and
// highest footprint and its bytes in use (mallinfo), the shadow stack pointer. For the soak test and the
// estimate-vs-measured table (docs/memory.md); numbers about the module itself, not results.
val memory_usage_js() {
  const struct mallinfo info = mallinfo();
  ModuleMemory memory;
  memory.heap_bytes = static_cast<long long>(emscripten_get_heap_size());
  memory.footprint = static_cast<unsigned>(info.arena);
  memory.max_footprint = static_cast<unsigned>(info.usmblks);
  memory.in_use = static_cast<unsigned>(info.uordblks);
  memory.stack_pointer = static_cast<long long>(emscripten_stack_get_current());
  return to_js(memory_usage_result(memory));
}

std::string version_js() { return ATTNRANK_VERSION; }

}  // namespace attnrank::js
