// How every exported function crosses back into JS: a C++ error (the core's Error with its code and
// param, std::bad_alloc, anything else) is caught, every C++ object of the call is destroyed, and only
// then is a real JS Error thrown with error.code and error.param. call_guarded() is the one copy of that
// skeleton; each binding file passes its body and its val arguments.
#pragma once

#include <emscripten/val.h>

#include <string>

namespace attnrank::js {

using emscripten::val;

// The last error, kept in static storage (not in a local) so nothing needs destroying when we throw.
struct PendingError {
  std::string message;
  std::string code;
  std::string param;
};
PendingError& pending_error();

// Keeps the error of the exception in flight (called from a catch block) in pending_error().
void keep_current_error();

// Throws the pending error in JS. The caller must hold no C++ object with a destructor other than val
// handles reset to undefined: a JS exception unwinds wasm frames without running destructors.
[[noreturn]] void throw_pending_error();

// kInvalidArgument with the core's Error (and its param when one parameter caused it).
[[noreturn]] void invalid(const std::string& message);
[[noreturn]] void invalid(const std::string& param, const std::string& message);

// Returns body() (a val); when it throws, destroys the body's objects, resets the caller's val arguments
// to undefined (dropping our handles on the caller's objects) and throws the error in JS.
template <typename Body, typename... Arguments>
val call_guarded(Body&& body, Arguments&... arguments) {
  {
    val result = val::undefined();
    try {
      result = body();
      return result;
    } catch (...) {
      keep_current_error();
    }
  }
  ((arguments = val::undefined()), ...);
  throw_pending_error();
}

}  // namespace attnrank::js
