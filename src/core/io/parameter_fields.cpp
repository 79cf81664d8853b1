// The parameter registry as a result tree (see parameter_fields.h). Defaults are typed by the parameter's
// type, so the page reads 64 and true, not "64" and "true".
#include "attnrank/io/parameter_fields.h"

#include <cstdlib>
#include <string>

#include "attnrank/base/parameter_registry.h"
#include "attnrank/io/request_fields.h"

namespace attnrank {
namespace {

// A default as written in the registry -> its typed value ("" -> null).
ResultValue typed_default(const ParameterInfo& info, const std::string& text) {
  if (text.empty()) return ResultValue::null();
  switch (info.type) {
    case ParamType::kInteger: return ResultValue::integer_value(std::strtoll(text.c_str(), nullptr, 10));
    case ParamType::kNumber: return ResultValue::number_value(std::strtod(text.c_str(), nullptr));
    case ParamType::kBoolean: return ResultValue::boolean_value(text == "true");
    case ParamType::kChoice:
    case ParamType::kText:
    case ParamType::kList: return ResultValue::text_value(text);
  }
  return ResultValue::null();
}

}  // namespace

ResultValue parameter_registry_result() {
  ResultValue out = ResultValue::list();
  for (const ParameterInfo& p : parameter_registry()) {
    ResultValue entry = ResultValue::object();
    entry.add("name", ResultValue::text_value(p.name));
    entry.add("type", ResultValue::text_value(param_type_name(p.type)));
    entry.add("min", p.range ? ResultValue::integer_value(p.range->min) : ResultValue::null());
    entry.add("max", p.range ? ResultValue::integer_value(p.range->max) : ResultValue::null());
    ResultValue choices = ResultValue::list();
    for (const std::string& choice : parameter_choices(p)) choices.push(ResultValue::text_value(choice));
    entry.add("choices", p.type == ParamType::kChoice ? choices : ResultValue::null());
    entry.add("default", typed_default(p, p.default_value));
    ResultValue defaults = ResultValue::object();
    ResultValue requests = ResultValue::list();
    for (unsigned bit = 0; bit < kRequestCount; ++bit) {
      const auto request = static_cast<RequestKind>(1u << bit);
      if ((p.requests & request) == 0) continue;
      requests.push(ResultValue::text_value(request_name(request)));
      const std::string value = parameter_default(p, request);
      if (value != p.default_value) defaults.add(request_name(request), typed_default(p, value));
    }
    entry.add("defaults", defaults);
    // Per-request ranges where they differ ({train: {min: 2, max: 4096}} for n): parameter_registry.h.
    ResultValue ranges = ResultValue::object();
    for (const RequestRange& entry_range : p.ranges) {
      for (unsigned bit = 0; bit < kRequestCount; ++bit) {
        const auto request = static_cast<RequestKind>(1u << bit);
        if ((entry_range.requests & request) == 0 || parameter_range(p, request) != entry_range.range) continue;
        ResultValue bounds = ResultValue::object();
        bounds.add("min", ResultValue::integer_value(entry_range.range->min));
        bounds.add("max", ResultValue::integer_value(entry_range.range->max));
        ranges.add(request_name(request), std::move(bounds));
      }
    }
    entry.add("ranges", ranges);
    entry.add("cli_flag", ResultValue::text_value(p.cli_flag));
    entry.add("url_key", ResultValue::text_value(p.url_key));
    entry.add("attribute", ResultValue::text_value(p.attribute));
    entry.add("requests", requests);
    entry.add("words_key", ResultValue::text_value(p.words_key));
    entry.add("note", ResultValue::text_value(p.note));
    // The core refuses it beside the user's Q and K (request_fields.h seeded_input_parameters): the page's
    // load figure leaves these out of its configs.
    bool refused = false;
    for (const std::string& name : seeded_input_parameters()) refused = refused || name == p.name;
    entry.add("refused_with_q_k", ResultValue::boolean_value(refused));
    out.push(std::move(entry));
  }
  return out;
}

}  // namespace attnrank
