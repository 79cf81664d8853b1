// Error construction and the two most common validations.
#include "errors.h"

#include <cmath>
#include <sstream>

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

void require_in_range(const char* name, long long value, long long lo, long long hi) {
  if (value < lo || value > hi) {
    std::ostringstream out;
    out << name << "=" << value << " must be in [" << lo << ", " << hi << "]";
    fail(ErrorCode::kInvalidArgument, out.str());
  }
}

void require_finite(const char* name, double value) {
  if (!std::isfinite(value)) {
    std::ostringstream out;
    out << name << "=" << value << " must be finite";
    fail(ErrorCode::kInvalidArgument, out.str());
  }
}

}  // namespace attnrank
