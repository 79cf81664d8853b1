// How every exported function crosses back into JS: a C++ error (the core's Error with its code and
// param, std::bad_alloc, anything else) is caught, every C++ object of the call is destroyed, and only
// then is a real JS Error thrown with error.code and error.param. call_guarded() is the one copy of that
// skeleton; each binding file passes its body and its val arguments.
#pragma once

#include <emscripten/val.h>

#include <initializer_list>
#include <string>
#include <utility>

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

// The argument `value` as plain data that no JS code of the caller can change or run while C++ reads it
// (issue 16 item 2: a getter that throws, a Proxy, a typed array whose `length` lies would otherwise run
// the caller's code in the middle of a C++ frame, and its exception unwinds wasm frames without
// destructors: heap and stack leak, and a lying length left the core reading stale heap). One JS
// function reads it once, inside a try: primitives as they are; a real typed array (the engine's own
// length, type and buffer, not the `length` or `constructor` properties) as a fresh view of its memory,
// after checking that its `length` property tells the truth; an object that is not an array or a typed
// array (a config) copied one level, own enumerable string keys only, each value as above; any other
// object replaced by an empty stand-in of the same type name (for the readers' "(got Array)" words).
// Whatever throws while it reads, or a lying length, is a kInvalidArgument naming the key (or `name`
// for the argument itself, "argument <position>" when name is null) in the core's words (errors.h:
// unreadable, length_lies).
val plain_argument(const val& value, const char* name, int position);

// The names of an export's arguments, for the errors of plain_argument (an unnamed argument is
// "argument <i>").
struct ArgumentNames {
  std::initializer_list<const char*> names;
};

// Returns body() (a val) computed on plain copies of the arguments (plain_argument: every argument is
// copied before body() builds any C++ object); when it throws, destroys the body's objects, resets the
// caller's val arguments to undefined (dropping our handles on the caller's objects and the copies) and
// throws the error in JS.
template <typename Body, typename... Arguments>
val call_guarded(ArgumentNames names, Body&& body, Arguments&... arguments) {
  {
    val result = val::undefined();
    try {
      [[maybe_unused]] const char* const* name = names.names.begin();
      [[maybe_unused]] const char* const* const end = names.names.end();
      [[maybe_unused]] int position = 0;
      ((arguments = plain_argument(arguments, name != end ? *name++ : nullptr, ++position)), ...);
      result = body();
      return result;
    } catch (...) {
      keep_current_error();
    }
  }
  ((arguments = val::undefined()), ...);
  throw_pending_error();
}

template <typename Body, typename... Arguments>
val call_guarded(Body&& body, Arguments&... arguments) {
  return call_guarded(ArgumentNames{{}}, std::forward<Body>(body), arguments...);
}

}  // namespace attnrank::js
