// Reading plain JS values (js_read.h).
#include "js_read.h"

#include <climits>
#include <cmath>

#include "attnrank/base/errors.h"
#include "attnrank/base/parameter_registry.h"

namespace attnrank::js {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1: JS numbers are exact up to here

// One of the core's "not_<type>_type" words for a value of the wrong JS type.
[[noreturn]] void wrong_type(const char* words_key, const val& value, const char* name) {
  invalid(name, fill_words(words_key, {{"param", name}, {"value", describe(value)}, {"type", type_of(value)}}));
}

}  // namespace

std::string type_of(const val& value) {
  if (value.isNull()) return "null";
  const std::string type = value.typeOf().as<std::string>();
  if (type != "object") return type;
  const val constructor = value["constructor"];
  if (constructor.typeOf().as<std::string>() == "function" && constructor["name"].isString()) {
    return constructor["name"].as<std::string>();
  }
  return type;
}

std::string describe(const val& value) {
  if (value.isString()) return "\"" + value.as<std::string>() + "\"";
  if (value.isNumber() || value.isTrue() || value.isFalse() || value.isNull() || value.isUndefined()) {
    return val::global("String")(value).as<std::string>();
  }
  return "a " + type_of(value);
}

long long read_integer(const val& value, const char* name) {
  if (!value.isNumber()) wrong_type("not_integer_type", value, name);
  const double number = value.as<double>();
  if (!std::isfinite(number) || std::floor(number) != number || std::fabs(number) > kMaxSafeInteger) {
    invalid(name, fill_words("not_integer", {{"param", name}, {"value", describe(value)}}));
  }
  return static_cast<long long>(number);
}

int read_int(const val& value, const char* name) {
  const long long number = read_integer(value, name);
  require_in_range(name, number, INT_MIN, INT_MAX);
  return static_cast<int>(number);
}

int read_ranged_int(const val& value, const ParamRange& range) {
  const long long number = read_integer(value, range.name);
  require_in_range(range.name, number, range.min, range.max);
  return static_cast<int>(number);
}

int read_mask_size(const val& value, const char* name, int lowest, int n) {
  const long long number = read_integer(value, name);
  if (number < lowest && number < INT_MIN) {
    invalid(name, fill_words("below_min", {{"param", name}, {"value", std::to_string(number)}, {"min", std::to_string(lowest)}}));
  }
  if (number > n && number > INT_MAX) {
    invalid(name, fill_words("exceeds_n", {{"param", name}, {"value", std::to_string(number)}, {"n", std::to_string(n)}}));
  }
  return static_cast<int>(number);
}

double read_number(const val& value, const char* name) {
  if (!value.isNumber()) wrong_type("not_number_type", value, name);
  return value.as<double>();
}

std::string read_string(const val& value, const char* name) {
  if (!value.isString()) wrong_type("not_string_type", value, name);
  return value.as<std::string>();
}

bool read_bool(const val& value, const char* name) {
  if (!value.isTrue() && !value.isFalse()) wrong_type("not_boolean_type", value, name);
  return value.isTrue();
}

int read_parameter_int(const val& config, const char* name) {
  return read_ranged_int(config[name], *parameter_info(name).range);
}

std::uint64_t read_seed(const val& config) {
  if (!has_key(config, "seed")) return 0;
  const ParamRange& range = *parameter_info("seed").range;
  const long long seed = read_integer(config["seed"], range.name);
  require_in_range(range.name, seed, range.min, range.max);
  return static_cast<std::uint64_t>(seed);
}

void require_plain_object(const val& config) {
  if (config.isNull() || config.typeOf().as<std::string>() != "object" || config.isArray()) {
    invalid("config must be a plain object (got " + type_of(config) + ")");
  }
}

void reject_unknown_keys(const val& config, std::initializer_list<const char*> known_keys) {
  reject_unknown_keys(config, std::vector<std::string>(known_keys.begin(), known_keys.end()));
}

void reject_unknown_keys(const val& config, const std::vector<std::string>& known_keys) {
  const val keys = val::global("Object").call<val>("keys", config);
  const int count = keys["length"].as<int>();
  for (int index = 0; index < count; ++index) {
    const std::string key = keys[index].as<std::string>();
    bool is_known = false;
    for (const std::string& known : known_keys) is_known = is_known || key == known;
    if (!is_known) {
      std::string list;
      for (const std::string& known : known_keys) list += (list.empty() ? "" : ", ") + known;
      invalid("config key \"" + key + "\" is unknown (known keys: " + list + ")");
    }
  }
}

FieldSource js_source(const val& config) {
  return [&config](const char* key, const ParameterInfo*, ParamType type) -> std::optional<ParamValue> {
    if (!has_key(config, key)) return std::nullopt;
    const val value = config[key];
    ParamValue out;
    switch (type) {
      case ParamType::kInteger: out.integer = read_integer(value, key); break;
      case ParamType::kNumber: out.number = read_number(value, key); break;
      case ParamType::kBoolean: out.boolean = read_bool(value, key); break;
      default: out.text = read_string(value, key); break;
    }
    return out;
  };
}

}  // namespace attnrank::js
