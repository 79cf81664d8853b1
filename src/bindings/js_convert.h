// C++ results into fresh JS values. Arrays are always COPIED (never views into the wasm heap, which
// detach when it grows).
#pragma once

#include <emscripten/val.h>

#include <cstddef>
#include <string>
#include <vector>

#include "attnrank/base/glossary.h"
#include "attnrank/io/result_fields.h"

namespace attnrank::js {

using emscripten::val;

// A result tree of the core (result_fields.h: the one definition of every result's keys, which the
// CLI's --json also writes): numbers and integers as numbers, null as null, number arrays (and the views of
// matrices) as fresh Float64Arrays, integer arrays as Int32Arrays, the views of masks as fresh Uint8Arrays,
// objects and lists as plain objects and arrays.
val to_js(const ResultValue& value);

val copy_to_float64_array(const double* data, std::size_t count);
val matrix_to_js(const MatrixXd& m);  // row-major Float64Array of m.size()
val mask_to_js(const Mask& m);        // row-major Uint8Array of m.size()
val string_array(const std::vector<std::string>& names);

}  // namespace attnrank::js
