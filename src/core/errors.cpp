// Error construction and the two most common validations.
#include "errors.h"

#include <cmath>
#include <cstdio>

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

void fail(ErrorCode code, const std::string& message) { throw Error(code, message); }

namespace detail {
void append_number(std::string& out, double value) {
  // std::ostream's default float format is printf's "%.6g" (libc++ formats through snprintf itself).
  char buffer[32];
  const int length = std::snprintf(buffer, sizeof buffer, "%g", value);
  out.append(buffer, static_cast<std::size_t>(length));
}
}  // namespace detail

void require_in_range(const char* name, long long value, long long lo, long long hi) {
  if (value < lo || value > hi) {
    fail(ErrorCode::kInvalidArgument, message(name, "=", value, " must be in [", lo, ", ", hi, "]"));
  }
}

void require_finite(const char* name, double value) {
  if (!std::isfinite(value)) {
    fail(ErrorCode::kInvalidArgument, message(name, "=", value, " must be finite"));
  }
}

}  // namespace attnrank
