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

// plain_argument's reader (js_boundary.h): returns a handle to {value: <the plain copy>} or, when reading
// the argument threw or a typed array's length lies, {param, reason} or {param, reported, actual}. It
// never throws: every access to the caller's value is inside the try. The engine's own view of a typed
// array (its length and type, %TypedArray%.prototype's getters) is what is trusted, never a property
// the caller can define.
EM_JS(emscripten::EM_VAL, attnrank_plain_argument, (emscripten::EM_VAL handle, const char* name_text, int position), {
  const value = Emval.toValue(handle);
  const name = name_text ? UTF8ToString(name_text) : "argument " + position;
  const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype);
  const lengthOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, "length").get;
  const tagOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag).get;
  const bufferOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, "buffer").get;
  const offsetOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, "byteOffset").get;
  const constructors = { Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
                         Float32Array, Float64Array, BigInt64Array, BigUint64Array };
  const failure = {};
  // What an exception says, read defensively (its message may itself be a getter that throws).
  const said = (error) => {
    try {
      if (error instanceof Error) return String(error.name) + ": " + String(error.message);
      return typeof error === "object" && error !== null ? "a " + typeof error : String(error);
    } catch (ignored) {
      return "an exception";
    }
  };
  const typeName = (object) => {
    if (typeof object === "function") return "function";
    const constructor = object.constructor;
    const name = typeof constructor === "function" && typeof constructor.name === "string" ? constructor.name : "object";
    // Not a real typed array (tagOf said so) but claiming to be one: a Proxy or a look-alike.
    return Object.prototype.hasOwnProperty.call(constructors, name) ? "Proxy or look-alike of " + name : name;
  };
  const standIn = (name) => {
    if (name === "function") return function() {};
    const out = name === "Array" ? [] : Object.create(null);
    if (name !== "Array") {
      const constructor = function() {};
      Object.defineProperty(constructor, "name", { value: name });
      Object.defineProperty(out, "constructor", { value: constructor });
    }
    return out;
  };
  const plain = (item, where) => {
    if (item === null || (typeof item !== "object" && typeof item !== "function")) return item;
    const tag = tagOf.call(item);
    if (tag !== undefined) {
      const actual = lengthOf.call(item);
      let reported;
      try {
        reported = item.length;
      } catch (error) {
        failure.param = where;
        failure.reason = "reading its length threw " + said(error);
        throw failure;
      }
      if (reported !== actual) {
        failure.param = where;
        failure.reported = typeof reported === "number" ? String(reported) : "a " + typeof reported;
        failure.actual = actual;
        throw failure;
      }
      // A fresh view of the same memory with the engine's length: nothing of the caller left to run, and
      // no copy of a large file (the binding copies what it reads into the heap itself).
      if (actual === 0) return new constructors[tag](0);
      return new constructors[tag](bufferOf.call(item), offsetOf.call(item), actual);
    }
    let name;
    try {
      name = typeName(item);
    } catch (error) {
      failure.param = where;
      failure.reason = "reading its type threw " + said(error);
      throw failure;
    }
    return standIn(name);
  };
  let result;
  try {
    if (value !== null && typeof value === "object" && tagOf.call(value) === undefined && !Array.isArray(value)) {
      const copy = Object.create(null);
      let keys;
      try {
        keys = Object.keys(value);
      } catch (error) {
        failure.param = name;
        failure.reason = "listing its keys threw " + said(error);
        throw failure;
      }
      for (const key of keys) {
        let item;
        try {
          item = value[key];
        } catch (error) {
          failure.param = key;
          failure.reason = "reading it threw " + said(error);
          throw failure;
        }
        copy[key] = plain(item, key);
      }
      const constructor = function() {};
      Object.defineProperty(constructor, "name", { value: typeName(value) });
      Object.defineProperty(copy, "constructor", { value: constructor });
      result = { value: copy };
    } else {
      result = { value: plain(value, name) };
    }
  } catch (error) {
    if (error === failure) {
      result = failure;
    } else {
      result = { param: name, reason: "reading it threw " + said(error) };
    }
  }
  return Emval.toHandle(result);
});

namespace attnrank::js {

val plain_argument(const val& value, const char* name, int position) {
  const val out = val::take_ownership(attnrank_plain_argument(value.as_handle(), name, position));
  if (!out["value"].isUndefined() || out["param"].isUndefined()) return out["value"];
  const std::string param = printable(out["param"].as<std::string>());
  if (!out["reported"].isUndefined()) {
    invalid(param, fill_words("length_lies", {{"param", param},
                                              {"value", out["reported"].as<std::string>()},
                                              {"actual", std::to_string(static_cast<long long>(out["actual"].as<double>()))}}));
  }
  invalid(param, fill_words("unreadable", {{"param", param}, {"value", out["reason"].as<std::string>()}}));
}

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
