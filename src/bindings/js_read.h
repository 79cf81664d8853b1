// Reading plain JS values into C++ values, with the core's words for every wrong type or value
// (errors.h kWords: "not_integer_type", "not_integer", ...), each error naming its parameter. Ranges
// are the core's (param_ranges.h); a range that depends on other parameters is left to the core's own
// validate() so that every runtime words it alike.
#pragma once

#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "attnrank/base/param_ranges.h"
#include "attnrank/io/request_fields.h"
#include "js_boundary.h"

namespace attnrank::js {

std::string type_of(const val& value);  // "null", "number", ..., or an object's constructor name
std::string describe(const val& value);  // primitives as written, objects by their type

long long read_integer(const val& value, const char* name);  // a number holding an integer below 2^53
int read_int(const val& value, const char* name);
int read_ranged_int(const val& value, const ParamRange& range);
// config[name] as the parameter registry's integer parameter `name` (parameter_registry.h): an integer in
// the registry's fixed range for it.
int read_parameter_int(const val& config, const char* name);
// p or w: an integer; one an int cannot hold gets the core's own words for it (masks.cpp: below its
// lowest value, or above n), the rest is left to the core's check.
int read_mask_size(const val& value, const char* name, int lowest, int n);
double read_number(const val& value, const char* name);
std::string read_string(const val& value, const char* name);
bool read_bool(const val& value, const char* name);
std::uint64_t read_seed(const val& config);  // config.seed (kSeedRange), 0 when absent

// A config must be a plain object whose keys are all known; an unknown key is an error naming it and
// listing the known ones.
void require_plain_object(const val& config);
void reject_unknown_keys(const val& config, std::initializer_list<const char*> known_keys);
void reject_unknown_keys(const val& config, const std::vector<std::string>& known_keys);
inline bool has_key(const val& config, const char* key) { return !config[key].isUndefined(); }

// The binding's side of the request field tables (io/request_fields.h): a row's value is config[key] read
// as the registry's type (a list parameter's row: one item, a string), in the core's words; none when
// the key is absent. The core bounds it, parses a choice and sets the field (read_fields).
FieldSource js_source(const val& config);
// A config object of `request` read through `table`: a plain object whose keys are the table's (an unknown
// key refused, listing them), every row applied. Returns the keys given.
template <typename Config>
std::set<std::string> read_config(const val& js, const ConfigTable<Config>& table, RequestKind request, Config& config) {
  require_plain_object(js);
  reject_unknown_keys(js, known_keys(table, request));
  return read_fields(table, request, config, js_source(js));
}

// Copies a typed array of exactly `count` elements (checked: type and length) into `out`.
template <typename Scalar>
void read_typed_array(const val& value, const char* name, const char* array_type, const std::string& shape,
                      std::size_t count, Scalar* out) {
  if (!value.instanceof(val::global(array_type))) {
    invalid(name, std::string(name) + " must be a " + array_type + " of " + shape + " (got " + type_of(value) + ")");
  }
  const std::size_t length = value["length"].as<std::size_t>();
  if (length != count) {
    invalid(name, std::string(name) + " has " + std::to_string(length) + " entries, expected " + shape);
  }
  // A view of our own buffer, filled by TypedArray.prototype.set (a copy; same element type).
  val(emscripten::typed_memory_view(count, out)).call<void>("set", value);
}

}  // namespace attnrank::js
