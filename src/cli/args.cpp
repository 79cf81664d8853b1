// Strict parsing of options: whole-string numbers only, no silent defaults for misspelled options.
#include "args.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "attnrank/base/errors.h"

namespace attnrank::cli {

namespace {
[[noreturn]] void bad_option(const std::string& message) { fail(ErrorCode::kInvalidArgument, message); }
// The same, naming the registry's parameter of option --flag (none for an unknown flag).
[[noreturn]] void bad_option_of(const std::string& flag, const std::string& message) {
  const ParameterInfo* info = parameter_by_flag(flag);
  fail(ErrorCode::kInvalidArgument, info == nullptr ? "" : info->name, message);
}
}  // namespace

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (word.rfind("--", 0) != 0 || word.size() == 2) bad_option("unexpected argument '" + word + "'");
    std::string name = word.substr(2);
    std::string value;
    const std::size_t equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    } else if (flags.count(name)) {
      value = "true";
    } else {
      if (i + 1 >= argv.size()) bad_option_of(name, "--" + name + " needs a value");
      value = argv[++i];
    }
    if (values_.count(name)) bad_option_of(name, "--" + name + " is given twice");
    values_[name] = value;
  }
}

bool Args::has(const std::string& name) const { return values_.count(name) > 0; }

std::string Args::text(const std::string& name, const std::string& fallback) {
  used_.insert(name);
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

void Args::reject_unused() const {
  for (const auto& [name, value] : values_) {
    if (!used_.count(name)) bad_option("unknown option --" + printable(name));
  }
}

namespace {

// "abc" -> "\"abc\"": how the core's words show text given where a number or boolean belongs.
std::string quoted(const std::string& text) { return "\"" + text + "\""; }

bool is_number_text(const std::string& text) {
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0';
}

}  // namespace

long long parse_integer(const std::string& name, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) {
    if (is_number_text(text)) fail(ErrorCode::kInvalidArgument, name, fill_words("not_integer", {{"param", name}, {"value", text}}));
    fail(ErrorCode::kInvalidArgument, name,
         fill_words("not_integer_type", {{"param", name}, {"value", quoted(text)}, {"type", "string"}}));
  }
  return value;
}

double parse_number(const std::string& name, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') {
    fail(ErrorCode::kInvalidArgument, name,
         fill_words("not_number_type", {{"param", name}, {"value", quoted(text)}, {"type", "string"}}));
  }
  // One rule with the page and the wasm module (JavaScript's Number()): text is read to the nearest
  // double, so an underflow gives a subnormal or 0 and is accepted (strtod's ERANGE is ignored); an
  // overflow gives inf, refused as not finite in the user's words ("1e400", not "inf").
  if (!std::isfinite(value)) {
    fail(ErrorCode::kInvalidArgument, name, fill_words("not_finite", {{"param", name}, {"value", text}}));
  }
  return value;
}

const std::set<std::string>& registry_flags() {
  static const std::set<std::string> flags = [] {
    const std::vector<std::string> names = boolean_flags();
    return std::set<std::string>(names.begin(), names.end());
  }();
  return flags;
}

bool has_param(const Args& args, const char* name) { return args.has(parameter_info(name).cli_flag); }

long long integer_param(Args& args, const char* name, RequestKind request, long long derived) {
  const ParameterInfo& info = parameter_info(name);
  const std::string given = args.text(info.cli_flag, "");
  if (args.has(info.cli_flag)) return parse_integer(info.name, given);
  const std::string fallback = parameter_default(info, request);
  return fallback.empty() ? derived : parse_integer(info.name, fallback);
}

int int_param(Args& args, const char* name, RequestKind request, long long derived) {
  const long long value = integer_param(args, name, request, derived);
  require_in_range(name, value, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  return static_cast<int>(value);
}

double number_param(Args& args, const char* name, RequestKind request) {
  const ParameterInfo& info = parameter_info(name);
  const std::string given = args.text(info.cli_flag, "");
  return parse_number(info.name, args.has(info.cli_flag) ? given : parameter_default(info, request));
}

bool parse_boolean(const std::string& name, const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  fail(ErrorCode::kInvalidArgument, name,
       fill_words("not_boolean_type", {{"param", name}, {"value", quoted(text)}, {"type", "string"}}));
}

bool flag_param(Args& args, const char* name) {
  const ParameterInfo& info = parameter_info(name);
  return parse_boolean(info.name, args.text(info.cli_flag, "false"));
}

FieldSource cli_source(Args& args) {
  return [&args](const char*, const ParameterInfo* info, ParamType type) -> std::optional<ParamValue> {
    if (info == nullptr || *info->cli_flag == '\0' || type == ParamType::kList) return std::nullopt;
    const std::string text = args.text(info->cli_flag, "");
    if (!args.has(info->cli_flag)) return std::nullopt;
    ParamValue value;
    switch (type) {
      case ParamType::kInteger: value.integer = parse_integer(info->name, text); break;
      case ParamType::kNumber: value.number = parse_number(info->name, text); break;
      case ParamType::kBoolean: value.boolean = parse_boolean(info->name, text); break;
      default: value.text = text; break;  // a choice is parsed by the row's setter, in the core's words
    }
    return value;
  };
}

std::string choice_param(Args& args, const char* name, RequestKind request) {
  const ParameterInfo& info = parameter_info(name);
  const std::string value = text_param(args, name, request);
  if (*info.choices == '\0') return value;  // the core lists and parses them (pattern)
  const std::vector<std::string> choices = parameter_choices(info);
  for (const std::string& choice : choices)
    if (value == choice) return value;
  std::string listed;
  for (const std::string& choice : choices) listed += (listed.empty() ? "" : ", ") + choice;
  fail(ErrorCode::kInvalidArgument, info.name,
       fill_words("unknown_choice", {{"param", info.name}, {"value", value}, {"choices", listed}}));
}

std::string text_param(Args& args, const char* name, RequestKind request) {
  const ParameterInfo& info = parameter_info(name);
  return args.text(info.cli_flag, parameter_default(info, request));
}

std::vector<std::string> list_param(Args& args, const char* name, RequestKind request, const std::string& derived) {
  const std::string text = text_param(args, name, request);
  return split_list(text.empty() && !has_param(args, name) ? derived : text);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) bad_option("empty item in list '" + text + "'");
    items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

}  // namespace attnrank::cli
