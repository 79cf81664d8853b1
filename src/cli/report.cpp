// Formatting of results: one field list, three writers.
#include "report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace attnrank::cli {

namespace {

// One field of `type` whose value lives in `member`; the typed wrappers below keep the call sites'
// argument conversions explicit (a string literal must never become a boolean).
template <typename T>
Field make_field(const std::string& name, Field::Type type, T Field::*member, const T& value) {
  Field field;
  field.name = name;
  field.type = type;
  field.*member = value;
  return field;
}
Field integer_field(const std::string& name, long long value) {
  return make_field(name, Field::Type::kInteger, &Field::integer, value);
}
Field number_field(const std::string& name, double value) {
  return make_field(name, Field::Type::kNumber, &Field::number, value);
}
Field boolean_field(const std::string& name, bool value) {
  return make_field(name, Field::Type::kBoolean, &Field::boolean, value);
}
Field text_field(const std::string& name, const std::string& value) {
  return make_field(name, Field::Type::kText, &Field::text, value);
}

bool uses_window(PatternKind kind) {
  return kind == PatternKind::kWindow || kind == PatternKind::kForwardWindow;
}

}  // namespace

std::vector<Field> result_fields(const AnalysisConfig& config, const AnalysisResult& result) {
  const RankStats& stats = result.stats;
  std::vector<Field> fields;
  fields.push_back(text_field("pattern", pattern_name(config.mask.kind)));
  if (config.mask.kind == PatternKind::kPrefix) fields.push_back(integer_field("prefix", config.mask.prefix));
  if (uses_window(config.mask.kind)) fields.push_back(integer_field("window", config.mask.window));
  fields.push_back(text_field("kind", attention_kind_name(config.kind)));
  if (config.kind == AttentionKind::kLinear) {
    fields.push_back(text_field("feature", feature_map_name(config.linear.feature)));
    if (config.linear.feature == FeatureMap::kFavor) {
      fields.push_back(integer_field("features", config.linear.features));
    }
  }
  fields.push_back(integer_field("feature_dimension", result.feature_dimension));
  fields.push_back(integer_field("n", result.n));
  fields.push_back(integer_field("d", result.d));
  if (config.user_q) {
    fields.push_back(text_field("input", "user"));
  } else {
    fields.push_back(text_field("input", "seeded"));
    fields.push_back(integer_field("seed", static_cast<long long>(config.inputs.seed)));
    fields.push_back(boolean_field("rope", config.inputs.rope));
    fields.push_back(integer_field("repeat", config.inputs.repeat_period));
  }
  fields.push_back(number_field("scale", config.scale));
  fields.push_back(text_field("precision", precision_name(config.precision)));
  fields.push_back(integer_field("numerical_rank_f64", stats.numerical_rank_f64));
  fields.push_back(integer_field("numerical_rank_f32", stats.numerical_rank_f32));
  fields.push_back(number_field("effective_rank", stats.effective_rank));
  fields.push_back(number_field("stable_rank", stats.stable_rank));
  fields.push_back(integer_field("energy_rank_99", stats.energy_rank_99));
  fields.push_back(number_field("sigma_max", stats.sigma_max));
  fields.push_back(number_field("sigma_min", stats.sigma_min));
  fields.push_back(number_field("condition_number", stats.condition_number));
  fields.push_back(boolean_field("condition_number_is_lower_bound", stats.condition_is_lower_bound));
  if (stats.log_det.sign == 0) {
    Field null_field;
    null_field.name = "log_abs_det";
    fields.push_back(null_field);
  } else {
    fields.push_back(number_field("log_abs_det", stats.log_det.log_abs));
  }
  fields.push_back(integer_field("det_sign", stats.log_det.sign));
  fields.push_back(boolean_field("log_abs_det_is_reliable", stats.log_abs_det_is_reliable));
  fields.push_back(boolean_field("structurally_full_rank", stats.structurally_full_rank));
  fields.push_back(integer_field("logits_rank", result.logits_rank));
  return fields;
}

std::string format_json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

std::string json_escape(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned char>(c));
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string field_json_value(const Field& field) {
  switch (field.type) {
    case Field::Type::kInteger: return std::to_string(field.integer);
    case Field::Type::kNumber: return format_json_number(field.number);
    case Field::Type::kBoolean: return field.boolean ? "true" : "false";
    case Field::Type::kText: return json_escape(field.text);
    case Field::Type::kNull: return "null";
  }
  return "null";
}

std::string field_text(const Field& field) {
  switch (field.type) {
    case Field::Type::kInteger: return std::to_string(field.integer);
    case Field::Type::kNumber: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.6g", field.number);
      return buffer;
    }
    case Field::Type::kBoolean: return field.boolean ? "true" : "false";
    case Field::Type::kText: return field.text;
    case Field::Type::kNull: return "";
  }
  return "";
}

std::string result_json(const AnalysisConfig& config, const AnalysisResult& result) {
  std::ostringstream out;
  out << "{";
  for (const Field& field : result_fields(config, result)) {
    out << json_escape(field.name) << ":" << field_json_value(field) << ",";
  }
  out << "\"singular_values\":[";
  const VectorXd& values = result.stats.singular_values;
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    out << (i ? "," : "") << format_json_number(values[i]);
  }
  out << "]}";
  return out.str();
}

}  // namespace attnrank::cli
