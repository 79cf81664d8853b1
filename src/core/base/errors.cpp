// Error construction and the two most common validations.
#include "attnrank/base/errors.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace attnrank {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kInvalidFile: return "invalid_file";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kNumericalFailure: return "numerical_failure";
  }
  return "unknown";
}

void fail(ErrorCode code, const std::string& param, const std::string& message) {
  throw Error(code, param, message);
}
void fail(ErrorCode code, const std::string& message) { throw Error(code, message); }

const char* words(const char* key) {
  for (const Words& entry : kWords) {
    if (std::strcmp(entry.key, key) == 0) return entry.text;
  }
  throw std::logic_error(std::string("words: no entry ") + key);
}

std::string fill_words(const char* key, std::initializer_list<std::pair<const char*, std::string>> holes) {
  // One pass over the template, so a value that itself reads "{min}" is never filled in turn.
  const std::string text = words(key);
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find('{', at);
    const std::size_t close = open == std::string::npos ? std::string::npos : text.find('}', open);
    if (close == std::string::npos) break;
    out.append(text, at, open - at);
    const std::string hole = text.substr(open + 1, close - open - 1);
    const auto match = std::find_if(holes.begin(), holes.end(), [&hole](const auto& entry) { return hole == entry.first; });
    out += match == holes.end() ? text.substr(open, close - open + 1) : match->second;
    at = close + 1;
  }
  out.append(text, std::min(at, text.size()), std::string::npos);
  return out;
}

namespace detail {
void append_number(std::string& out, double value) {
  // std::ostream's default float format is printf's "%.6g" (libc++ formats through snprintf itself).
  char buffer[32];
  const int length = std::snprintf(buffer, sizeof buffer, "%g", value);
  out.append(buffer, static_cast<std::size_t>(length));
}
}  // namespace detail

namespace {
// The parameter a check's name refers to: its leading word ("q rows (n)" -> "q", "memory-limit" as is).
std::string param_of(const char* name) {
  std::string param = name;
  const std::size_t end = param.find_first_of(" (");
  return end == std::string::npos ? param : param.substr(0, end);
}
}  // namespace

void require_in_range(const char* name, long long value, long long lo, long long hi) {
  if (value < lo || value > hi) {
    fail(ErrorCode::kInvalidArgument, param_of(name),
         fill_words("out_of_range", {{"param", name}, {"value", std::to_string(value)}, {"min", std::to_string(lo)},
                                     {"max", std::to_string(hi)}}));
  }
}

void require_finite(const char* name, double value) {
  if (!std::isfinite(value)) {
    fail(ErrorCode::kInvalidArgument, param_of(name), fill_words("not_finite", {{"param", name}, {"value", message(value)}}));
  }
}

}  // namespace attnrank
