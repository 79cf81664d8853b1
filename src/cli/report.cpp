// Formatting of results: the core's result trees (result_fields.h) as JSON, CSV cells and table cells.
#include "report.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace attnrank::cli {

namespace {

using Type = ResultValue::Type;

constexpr int kTableDigits = 6;
constexpr int kBoundDigits = 2;

void write_json(const ResultValue& value, std::ostringstream& out) {
  switch (value.type) {
    case Type::kNull: out << "null"; return;
    case Type::kInteger: out << value.integer; return;
    case Type::kNumber: out << format_json_number(value.number); return;
    case Type::kBoolean: out << (value.boolean ? "true" : "false"); return;
    case Type::kText: out << json_escape(value.text); return;
    case Type::kNumbers:
      out << "[";
      for (std::size_t i = 0; i < value.numbers.size(); ++i) out << (i ? "," : "") << format_json_number(value.numbers[i]);
      out << "]";
      return;
    case Type::kIntegers:
      out << "[";
      for (std::size_t i = 0; i < value.integers.size(); ++i) out << (i ? "," : "") << value.integers[i];
      out << "]";
      return;
    case Type::kNumbersView:  // the wasm-only keys: never in a CLI tree, written like their copies
      out << "[";
      for (std::size_t i = 0; i < value.view_size; ++i) out << (i ? "," : "") << format_json_number(value.numbers_view[i]);
      out << "]";
      return;
    case Type::kBytesView:
      out << "[";
      for (std::size_t i = 0; i < value.view_size; ++i) out << (i ? "," : "") << static_cast<int>(value.bytes_view[i]);
      out << "]";
      return;
    case Type::kObject:
      out << "{";
      for (std::size_t i = 0; i < value.members.size(); ++i) {
        out << (i ? "," : "") << json_escape(value.members[i].first) << ":";
        write_json(value.members[i].second, out);
      }
      out << "}";
      return;
    case Type::kList:
      out << "[";
      for (std::size_t i = 0; i < value.items.size(); ++i) {
        if (i) out << ",";
        write_json(value.items[i], out);
      }
      out << "]";
      return;
  }
}

bool is_flagged(const ResultValue& object, const char* flag) {
  const ResultValue* value = object.find(flag);
  return value != nullptr && value->type == Type::kBoolean && value->boolean;
}

}  // namespace

std::string format_json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char buffer[32];
  const std::to_chars_result done = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, done.ptr);
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

std::string to_json(const ResultValue& value) {
  std::ostringstream out;
  write_json(value, out);
  return out.str();
}

std::string csv_cell(const ResultValue& value) {
  switch (value.type) {
    case Type::kNull: return "";
    case Type::kInteger: return std::to_string(value.integer);
    case Type::kNumber: return format_json_number(value.number);
    case Type::kBoolean: return value.boolean ? "true" : "false";
    case Type::kText: return value.text;
    default: return to_json(value);  // arrays and objects are not CSV cells; JSON keeps them readable
  }
}

std::string csv_header(const ResultValue& object) {
  std::string out;
  for (std::size_t i = 0; i < object.members.size(); ++i) out += (i ? "," : "") + object.members[i].first;
  return out + "\n";
}

std::string csv_row(const ResultValue& object) {
  std::string out;
  for (std::size_t i = 0; i < object.members.size(); ++i) out += (i ? "," : "") + csv_cell(object.members[i].second);
  return out + "\n";
}

std::string short_number(double value, int digits) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

std::string table_cell(const ResultValue& object, const std::string& key, const std::vector<ResultField>& fields) {
  const ResultValue* value = object.find(key);
  if (value == nullptr) return "";
  const ResultField* field = find_field(fields, key);
  if (field == nullptr) throw std::logic_error("table_cell: \"" + key + "\" is not described");
  if (value->type == Type::kNull && !field->null_text.empty()) return field->null_text;
  if (value->type == Type::kNumber) {
    const bool is_bound = !field->bound.empty() && is_flagged(object, (key + "_is_" + field->bound + "_bound").c_str());
    // An upper bound at the floor is an order of magnitude: two digits, as the page shows it.
    if (is_bound && field->bound == "upper") return "<= " + short_number(value->number, kBoundDigits);
    return (is_bound ? ">= " : "") + short_number(value->number, kTableDigits);
  }
  return csv_cell(*value);
}

}  // namespace attnrank::cli
