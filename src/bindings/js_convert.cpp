// C++ results into fresh JS values (js_convert.h).
#include "js_convert.h"

namespace attnrank::js {

val copy_to_float64_array(const double* data, std::size_t count) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(count, data));  // new T(view) copies
}

val matrix_to_js(const MatrixXd& m) { return copy_to_float64_array(m.data(), static_cast<std::size_t>(m.size())); }

val mask_to_js(const Mask& m) {
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(static_cast<std::size_t>(m.size()), m.data()));
}

val string_array(const std::vector<std::string>& names) {
  val out = val::array();
  for (const std::string& name : names) out.call<void>("push", name);
  return out;
}

val to_js(const ResultValue& value) {
  switch (value.type) {
    case ResultValue::Type::kNull: return val::null();
    case ResultValue::Type::kInteger: return val(static_cast<double>(value.integer));  // exact: |x| < 2^53
    case ResultValue::Type::kNumber: return val(value.number);
    case ResultValue::Type::kBoolean: return val(value.boolean);
    case ResultValue::Type::kText: return val(value.text);
    case ResultValue::Type::kNumbers: return copy_to_float64_array(value.numbers.data(), value.numbers.size());
    case ResultValue::Type::kIntegers:
      return val::global("Int32Array").new_(emscripten::typed_memory_view(value.integers.size(), value.integers.data()));
    case ResultValue::Type::kNumbersView: return copy_to_float64_array(value.numbers_view, value.view_size);
    case ResultValue::Type::kBytesView:
      return val::global("Uint8Array").new_(emscripten::typed_memory_view(value.view_size, value.bytes_view));
    case ResultValue::Type::kObject: {
      val out = val::object();
      for (const auto& [key, member] : value.members) out.set(key, to_js(member));
      return out;
    }
    case ResultValue::Type::kList: {
      val out = val::array();
      for (const ResultValue& item : value.items) out.call<void>("push", to_js(item));
      return out;
    }
  }
  return val::null();
}

}  // namespace attnrank::js
