// Named errors of the core. Every public entry validates its input and throws attnrank::Error with a
// code and a message that names the parameter and its value ("prefix=9 exceeds n=8"). The CLI prints
// the message and exits non-zero; the wasm binding turns it into a JS Error with the same message.
#pragma once

#include <stdexcept>
#include <string>

namespace attnrank {

enum class ErrorCode {
  kInvalidArgument,   // a parameter out of range or inconsistent with another
  kInvalidFile,       // a malformed or unsupported .npy / JSON input
  kTooLarge,          // the request would need more memory than the budget allows
  kNumericalFailure,  // a defined computation cannot proceed (e.g. a linear-attention row sums to 0)
};

const char* error_code_name(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

[[noreturn]] void fail(ErrorCode code, const std::string& message);

// Throws kInvalidArgument "<name>=<value> must be in [lo, hi]" unless lo <= value <= hi.
void require_in_range(const char* name, long long value, long long lo, long long hi);

// Throws kInvalidArgument "<name>=<value> must be finite" for NaN or infinity.
void require_finite(const char* name, double value);

}  // namespace attnrank
