// The JS side of call_guarded (js_boundary.h): the pending error and the throw.
#include "js_boundary.h"

#include <emscripten.h>
#include <emscripten/stack.h>

#include <cstdint>
#include <exception>
#include <new>

#include "attnrank/base/errors.h"

// Throws a JS Error(message) with error.code = code and error.param = param ("" when no single parameter
// caused it). Called only when no C++ object with a destructor is live in the binding's frames: a JS
// exception unwinds wasm frames without running destructors or epilogues, so the frames' shadow-stack
// bytes also stay allocated (16 per error, measured; the invoke_ wrapper around embind's invoker restores
// only to its own entry). Once the JS stack has unwound no wasm frame is live and the stack is empty, so
// a microtask moves its pointer back to the base.
EM_JS(void, attnrank_throw_js_error, (const char* message, const char* code, const char* param,
                                     std::uintptr_t stack_base), {
  const error = new Error(UTF8ToString(message));
  error.code = UTF8ToString(code);
  error.param = UTF8ToString(param);
  queueMicrotask(() => stackRestore(stack_base));
  throw error;
});

namespace attnrank::js {

PendingError& pending_error() {
  static PendingError error;
  return error;
}

void keep_current_error() {
  PendingError& pending = pending_error();
  try {
    throw;
  } catch (const Error& error) {
    pending.message = error.what();
    pending.code = error_code_name(error.code());
    pending.param = error.param();
  } catch (const std::bad_alloc&) {
    pending.message = "out of memory: the request needs more memory than the wasm heap allows";
    pending.code = error_code_name(ErrorCode::kTooLarge);
    pending.param.clear();
  } catch (const std::exception& error) {
    pending.message = error.what();
    pending.code = "internal";
    pending.param.clear();
  } catch (...) {
    pending.message = "unknown error";
    pending.code = "internal";
    pending.param.clear();
  }
}

void throw_pending_error() {
  attnrank_throw_js_error(pending_error().message.c_str(), pending_error().code.c_str(),
                          pending_error().param.c_str(), emscripten_stack_get_base());
  __builtin_unreachable();
}

void invalid(const std::string& message) { fail(ErrorCode::kInvalidArgument, message); }
void invalid(const std::string& param, const std::string& message) {
  fail(ErrorCode::kInvalidArgument, param, message);
}

}  // namespace attnrank::js
