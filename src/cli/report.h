// The fields of one analysis result, in the order of docs/result-schema.md, as a flat list that the
// JSON, CSV and table writers all format: one place decides which keys exist and what they hold.
#pragma once

#include <string>
#include <vector>

#include "analysis.h"

namespace attnrank::cli {

struct Field {
  enum class Type { kInteger, kNumber, kBoolean, kText, kNull };
  std::string name;
  Type type = Type::kNull;
  long long integer = 0;
  double number = 0.0;
  bool boolean = false;
  std::string text;
};

// Every scalar key of the schema (not the singular values).
std::vector<Field> result_fields(const AnalysisConfig& config, const AnalysisResult& result);

// JSON: number with 17 significant digits (round-trips a double); never NaN or Infinity (null instead,
// which the core guarantees never happens for a result).
std::string format_json_number(double value);
std::string json_escape(const std::string& text);
std::string field_json_value(const Field& field);
std::string field_text(const Field& field);  // for tables and CSV

// One JSON object: the fields plus "singular_values".
std::string result_json(const AnalysisConfig& config, const AnalysisResult& result);

}  // namespace attnrank::cli
