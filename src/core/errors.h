// Named errors of the core. Every public entry validates its input and throws attnrank::Error with a
// code and a message that names the parameter and its value ("prefix=9 exceeds n=8"). The CLI prints
// the message and exits non-zero; the wasm binding turns it into a JS Error with the same message.
#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>

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

namespace detail {
// Appends value as std::ostream's default format would ("%g": 1e+300, 0.5, -1, inf, nan).
void append_number(std::string& out, double value);

template <typename T>
void append_part(std::string& out, const T& part) {
  static_assert(!std::is_same_v<T, bool> && !std::is_same_v<T, signed char> && !std::is_same_v<T, unsigned char>,
                "message(): convert bool and byte values explicitly");
  if constexpr (std::is_same_v<T, char>) {
    out += part;
  } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
    static_assert(std::is_integral_v<T>, "message(): convert enums explicitly");
    out += std::to_string(part);
  } else if constexpr (std::is_floating_point_v<T>) {
    append_number(out, static_cast<double>(part));
  } else {
    out += part;  // const char*, char arrays, std::string
  }
}
}  // namespace detail

// Concatenates parts into one message, formatted as `std::ostringstream() << parts...` would (strings as
// they are, integers in decimal, floating point values "%g"), without pulling iostreams into the wasm.
template <typename... Parts>
std::string message(const Parts&... parts) {
  std::string out;
  (detail::append_part(out, parts), ...);
  return out;
}

// Throws kInvalidArgument "<name>=<value> must be in [lo, hi]" unless lo <= value <= hi.
void require_in_range(const char* name, long long value, long long lo, long long hi);

// Throws kInvalidArgument "<name>=<value> must be finite" for NaN or infinity.
void require_finite(const char* name, double value);

}  // namespace attnrank
