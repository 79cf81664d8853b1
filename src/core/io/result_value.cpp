// ResultValue's constructors and members (result_fields.h), and the type check of a field table's rows
// (result_table.h). No keys here: those are the tables of result_fields.cpp, result_experiment_fields.cpp
// and result_schemas.cpp.
#include <stdexcept>

#include "result_table.h"

namespace attnrank {

using Type = ResultValue::Type;

ResultValue ResultValue::null() { return ResultValue{}; }
ResultValue ResultValue::integer_value(long long value) {
  ResultValue out;
  out.type = Type::kInteger;
  out.integer = value;
  return out;
}
ResultValue ResultValue::number_value(double value) {
  ResultValue out;
  out.type = Type::kNumber;
  out.number = value;
  return out;
}
ResultValue ResultValue::boolean_value(bool value) {
  ResultValue out;
  out.type = Type::kBoolean;
  out.boolean = value;
  return out;
}
ResultValue ResultValue::text_value(const std::string& value) {
  ResultValue out;
  out.type = Type::kText;
  out.text = value;
  return out;
}
ResultValue ResultValue::numbers_value(std::vector<double> values) {
  ResultValue out;
  out.type = Type::kNumbers;
  out.numbers = std::move(values);
  return out;
}
ResultValue ResultValue::integers_value(std::vector<int> values) {
  ResultValue out;
  out.type = Type::kIntegers;
  out.integers = std::move(values);
  return out;
}
ResultValue ResultValue::numbers_view_of(const double* data, std::size_t size) {
  ResultValue out;
  out.type = Type::kNumbersView;
  out.numbers_view = data;
  out.view_size = size;
  return out;
}
ResultValue ResultValue::bytes_view_of(const std::uint8_t* data, std::size_t size) {
  ResultValue out;
  out.type = Type::kBytesView;
  out.bytes_view = data;
  out.view_size = size;
  return out;
}
ResultValue ResultValue::object() {
  ResultValue out;
  out.type = Type::kObject;
  return out;
}
ResultValue ResultValue::list() {
  ResultValue out;
  out.type = Type::kList;
  return out;
}

ResultValue& ResultValue::add(const std::string& key, ResultValue value) {
  if (type != Type::kObject) throw std::logic_error("ResultValue::add(\"" + key + "\") on a non-object");
  if (find(key) != nullptr) throw std::logic_error("ResultValue::add: key \"" + key + "\" given twice");
  members.emplace_back(key, std::move(value));
  return *this;
}

ResultValue& ResultValue::push(ResultValue value) {
  if (type != Type::kList) throw std::logic_error("ResultValue::push on a non-list");
  items.push_back(std::move(value));
  return *this;
}

const ResultValue* ResultValue::find(const std::string& key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return &value;
  }
  return nullptr;
}

namespace result_table {

// The declared type against the built value: a row whose lambda builds another type is a bug.
bool has_type(const std::string& declared, const ResultValue& value) {
  const std::string nullable = " or null";
  const bool is_nullable = declared.size() > nullable.size() &&
                           declared.compare(declared.size() - nullable.size(), nullable.size(), nullable) == 0;
  if (value.type == Type::kNull) return is_nullable;
  const std::string base = is_nullable ? declared.substr(0, declared.size() - nullable.size()) : declared;
  switch (value.type) {
    case Type::kInteger: return base == "int" || base == kAnyScalar;
    case Type::kNumber: return base == "number" || base == kAnyScalar;
    case Type::kBoolean: return base == "bool" || base == kAnyScalar;
    case Type::kText: return base == "string" || base == kAnyScalar;
    case Type::kNumbers:
    case Type::kNumbersView: return base == "number[]";
    case Type::kBytesView: return base == "uint8[]";
    case Type::kIntegers: return base == "int[]";
    case Type::kObject: return base == "object";
    case Type::kList: return base == "object[]" || base == "string[]" || base == "number[][]" || base == "uint8[][]";
    case Type::kNull: break;
  }
  return false;
}

}  // namespace result_table

}  // namespace attnrank
