// Formatting of results for the command line. The keys and values come from the core's one definition
// (src/core/include/attnrank/io/result_fields.h), shared with the wasm binding; this file only writes them: JSON and CSV with
// shortest round-trip numbers, tables with a few significant digits and the bounds spelled out.
#pragma once

#include <string>
#include <vector>

#include "attnrank/io/result_fields.h"

namespace attnrank::cli {

// Shortest decimal text that reads back as the same double (std::to_chars; at most 17 significant
// digits), e.g. 0.1 -> "0.1", 2^-52 -> "2.220446049250313e-16". Never NaN or Infinity ("null" instead,
// which the core guarantees never happens for a result).
std::string format_json_number(double value);
std::string json_escape(const std::string& text);

// A result tree as one line of JSON: objects in schema order, arrays of numbers, null where the schema
// says null (numerical_rank_f64 at f32, log_abs_det when det_sign is 0).
std::string to_json(const ResultValue& value);

// A scalar for a CSV cell: numbers round-trip (format_json_number), booleans true/false, text as is,
// null as an empty cell.
std::string csv_cell(const ResultValue& value);

// One CSV line of a result object (a row of collapse_layers_result, an entry of architectures): its keys,
// or its values as csv_cell, comma-separated, with the line break.
std::string csv_header(const ResultValue& object);
std::string csv_row(const ResultValue& object);

// A scalar member `key` of `object` for a readable table (6 significant digits), as its description in
// `fields` says (result_fields.h ResultField): a null as its null_text ("n/a at f32"), a value that is a
// bound while its flag `<key>_is_<bound>_bound` is true as "<= x" (2 digits: an upper bound at the floor
// is an order of magnitude) or ">= x". std::logic_error for a key `fields` does not describe.
std::string table_cell(const ResultValue& object, const std::string& key, const std::vector<ResultField>& fields);

// A short number for tables: `digits` significant digits (%g).
std::string short_number(double value, int digits);

}  // namespace attnrank::cli
