// Named errors of the core. Every public entry validates its input and throws attnrank::Error with a
// code, the parameter that caused it (param: "n", "prefix", "scale"; empty when no single parameter did)
// and a message that names the parameter and its value ("prefix=9 exceeds n=8"). The CLI prints the
// message and exits non-zero; the wasm binding turns it into a JS Error with the same message, `code` and
// `param`. The words of the checks every entry shares are defined once here (kWords) and exported to JS
// (messages()), so the page words its own checks of URL text as the core does.
#pragma once

#include <stdexcept>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>

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
  Error(ErrorCode code, std::string param, const std::string& message)
      : std::runtime_error(message), code_(code), param_(std::move(param)) {}
  ErrorCode code() const { return code_; }
  // The parameter that caused the error ("n", "prefix"), or "" when no single one did.
  const std::string& param() const { return param_; }

 private:
  ErrorCode code_;
  std::string param_;
};

// Throws Error(code, param, message). The two-argument form (param "") is for errors no single
// parameter caused; call sites still using it for a parameter's error are being moved to the first.
[[noreturn]] void fail(ErrorCode code, const std::string& param, const std::string& message);
[[noreturn]] void fail(ErrorCode code, const std::string& message);

// The shared words, as templates with {param}, {value}, {min}, {max}, {n}, {type}, {choices} holes.
// Each is used by the core or the binding to word its check, and exported by messages() for the page.
struct Words {
  const char* key;
  const char* text;
};
inline constexpr Words kWords[] = {
    {"out_of_range", "{param}={value} must be in [{min}, {max}]"},
    {"not_finite", "{param}={value} must be finite"},
    {"not_integer", "{param}={value} must be an integer"},
    {"not_integer_type", "{param}={value} must be an integer number (got {type})"},
    {"not_number_type", "{param}={value} must be a number (got {type})"},
    {"not_boolean_type", "{param}={value} must be a boolean (got {type})"},
    {"not_string_type", "{param}={value} must be a string (got {type})"},
    {"below_min", "{param}={value} must be >= {min}"},
    {"exceeds_n", "{param}={value} exceeds n={n}"},
    {"unknown_choice", "{param}={value} is unknown (expected one of: {choices})"},
    {"unknown_variant", "{param}={value} is unknown (expected pure, or skip, mlp, layernorm joined by '+', each once)"},
    // The wasm binding's reading of its arguments (js_boundary.h plain_argument): a getter or Proxy trap
    // that threw, a typed array whose length property is not its length.
    {"unreadable", "{param} could not be read: {value}"},
    {"length_lies", "{param}.length={value} is not its length: it holds {actual} entries"},
    // How a message writes a non-finite number (printf's "%g").
    {"value_nan", "nan"},
    {"value_inf", "inf"},
    {"value_minus_inf", "-inf"},
};

// The template of kWords named key (an unknown key is a programming error: it throws std::logic_error).
const char* words(const char* key);

// template with each "{hole}" replaced by its value from holes (holes not listed stay as written).
std::string fill_words(const char* key, std::initializer_list<std::pair<const char*, std::string>> holes);

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

// Text from outside (a file's header, an option, a config key, a path) as it may appear in a message:
// control characters, DEL, C1 controls, bidirectional overrides and bytes that are not UTF-8 become
// \xNN or \u{NNNN} escapes (a crafted file cannot clear or retitle a terminal, fake a line or cut the
// message with a NUL), and text longer than max_bytes is cut at a character boundary and says how long
// it was. fill_words applies it to every {value} hole.
constexpr std::size_t kEchoLimit = 120;
constexpr std::size_t kPathEchoLimit = 4096;  // a path is shown whole (PATH_MAX), only made safe
std::string printable(const std::string& text, std::size_t max_bytes = kEchoLimit);

// Throws kInvalidArgument "<name>=<value> must be in [lo, hi]" unless lo <= value <= hi.
void require_in_range(const char* name, long long value, long long lo, long long hi);

// Throws kInvalidArgument "<name>=<value> must be finite" for NaN or infinity.
void require_finite(const char* name, double value);

}  // namespace attnrank
