// Private to src/core/io: the shape of a result's field table (result_fields.h). A table is an array of
// Field<Source> rows: key, type, one-line meaning, the value read from a Source, when the key is present,
// an object's or a list's members for the doc, and how it is shown (wasm only; a bound when its flag
// says so; what a null reads as in a table). object_of() walks a table into a result tree (checking
// each value against its declared type), described() into the description result_schemas() publishes.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "attnrank/io/result_fields.h"

namespace attnrank::result_table {

// How a row is shown (ResultField's wasm_only, bound, null_text).
struct Shown {
  bool wasm_only = false;
  const char* bound = "";      // "upper", "lower" or ""
  const char* null_text = "";  // a null value in a table
};
inline constexpr Shown kWasmOnly{true, "", ""};

template <typename Source>
struct Field {
  const char* key;
  const char* type;     // as ResultField::type
  const char* meaning;  // one line
  ResultValue (*value)(const Source&);
  bool (*is_present)(const Source&) = nullptr;            // nullptr: always
  std::vector<ResultField> (*members)() = nullptr;        // nullptr: no members to describe
  Shown shown = {};
};

inline constexpr const char* kAnyScalar = "int, number, bool or string";
// A `stats` member (mixture): described by reference, not repeated.
inline constexpr const char* kStatsMeaning =
    "the rank statistics: the keys `singular_values` .. `structurally_full_rank` of the analysis";

// Whether `value` is of the declared type (ResultField::type); a row whose value is not is a bug.
bool has_type(const std::string& declared, const ResultValue& value);

template <typename Source, std::size_t N>
void add_fields(ResultValue& out, const Field<Source> (&fields)[N], const Source& source,
                ResultTarget target = ResultTarget::kCli) {
  for (const Field<Source>& field : fields) {
    if (field.shown.wasm_only && target != ResultTarget::kWasm) continue;
    if (field.is_present != nullptr && !field.is_present(source)) continue;
    ResultValue value = field.value(source);
    if (!has_type(field.type, value)) {
      throw std::logic_error(std::string("result field \"") + field.key + "\" is not of its type " + field.type);
    }
    out.add(field.key, std::move(value));
  }
}

template <typename Source, std::size_t N>
ResultValue object_of(const Field<Source> (&fields)[N], const Source& source, ResultTarget target = ResultTarget::kCli) {
  ResultValue out = ResultValue::object();
  add_fields(out, fields, source, target);
  return out;
}

template <typename Item, std::size_t N>
ResultValue list_of(const Field<Item> (&fields)[N], const std::vector<Item>& items) {
  ResultValue out = ResultValue::list();
  for (const Item& item : items) out.push(object_of(fields, item));
  return out;
}

template <typename Source, std::size_t N>
void describe(std::vector<ResultField>& out, const Field<Source> (&fields)[N]) {
  for (const Field<Source>& field : fields) {
    out.push_back({field.key, field.type, field.meaning, field.members ? field.members() : std::vector<ResultField>{},
                   field.shown.wasm_only, field.shown.bound, field.shown.null_text});
  }
}

template <typename Source, std::size_t N>
std::vector<ResultField> described(const Field<Source> (&fields)[N]) {
  std::vector<ResultField> out;
  describe(out, fields);
  return out;
}

inline ResultValue integer(long long value) { return ResultValue::integer_value(value); }
inline ResultValue number(double value) { return ResultValue::number_value(value); }
inline ResultValue boolean(bool value) { return ResultValue::boolean_value(value); }
inline ResultValue text(const std::string& value) { return ResultValue::text_value(value); }
inline ResultValue numbers(const VectorXd& values) {
  return ResultValue::numbers_value(std::vector<double>(values.data(), values.data() + values.size()));
}
// Seeds are below 2^53 (param_ranges.h), so they are exact as JS numbers too.
inline ResultValue seed_value(std::uint64_t seed) { return integer(static_cast<long long>(seed)); }
// Views, not copies (the wasm-only keys): the tree refers to the matrix or mask.
inline ResultValue matrix_view(const MatrixXd& m) {
  return ResultValue::numbers_view_of(m.data(), static_cast<std::size_t>(m.size()));
}
inline ResultValue mask_view(const Mask& m) { return ResultValue::bytes_view_of(m.data(), static_cast<std::size_t>(m.size())); }

// The descriptions of the other files' tables (result_fields.cpp, result_experiment_fields.cpp), for
// result_schemas.cpp.
std::vector<ResultField> analysis_fields();
std::vector<ResultField> sweep_fields();
std::vector<ResultField> mixture_fields();
std::vector<ResultField> collapse_fields();
std::vector<ResultField> collapse_layer_fields();
std::vector<ResultField> architectures_fields();
std::vector<ResultField> permutation_fields();
std::vector<ResultField> collapse_runs_fields();
std::vector<ResultField> permutation_runs_fields();
// The rank statistics without the spectrum (rank_stats_result less singular_values): a lab head's keys.
void add_rank_statistics(ResultValue& out, const RankStats& stats);
std::vector<ResultField> rank_statistics_fields();
// result_lab_fields.cpp's.
std::vector<ResultField> lab_checkpoint_fields();
std::vector<ResultField> lab_corpus_fields();
std::vector<ResultField> lab_start_fields();
std::vector<ResultField> lab_progress_fields();
std::vector<ResultField> lab_attention_fields();
std::vector<ResultField> lab_experiments_fields();
std::vector<ResultField> lab_verdicts_fields();
std::vector<ResultField> lab_probe_attention_fields();
// result_module_fields.cpp's.
std::vector<ResultField> limits_fields();
std::vector<ResultField> messages_fields();
std::vector<ResultField> memory_usage_fields();
std::vector<ResultField> npy_fields();

}  // namespace attnrank::result_table
