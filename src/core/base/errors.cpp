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
    if (match == holes.end()) {
      out += text.substr(open, close - open + 1);
    } else {
      out += hole == "value" ? printable(match->second) : match->second;  // the user's text: made safe
    }
    at = close + 1;
  }
  out.append(text, std::min(at, text.size()), std::string::npos);
  return out;
}

namespace {

// The length of the UTF-8 sequence starting at text[at] and its code point, or 0 when the bytes there
// are not well-formed UTF-8 (overlong forms, surrogates and values above U+10FFFF included).
std::size_t utf8_sequence(const std::string& text, std::size_t at, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  if (lead < 0x80) length = 1, code_point = lead;
  else if (lead >= 0xc2 && lead <= 0xdf) length = 2, code_point = lead & 0x1fu;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3, code_point = lead & 0x0fu;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4, code_point = lead & 0x07u;
  else return 0;
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xc0u) != 0x80u) return 0;
    code_point = (code_point << 6) | (byte(at + i) & 0x3fu);
  }
  const char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < smallest[length] || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) return 0;
  return length;
}

// Characters a terminal or a page could act on or reorder: C0 controls, DEL, C1 controls, and the
// bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069), line separators.
bool is_unsafe(char32_t c) {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x2028 || c == 0x2029;
}

}  // namespace

std::string printable(const std::string& text, std::size_t max_bytes) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size() && out.size() < max_bytes) {
    char32_t c = 0;
    const std::size_t length = utf8_sequence(text, at, c);
    char escape[16];
    if (length == 0) {
      std::snprintf(escape, sizeof escape, "\\x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[at])));
      out += escape;
      at += 1;
    } else if (is_unsafe(c)) {
      std::snprintf(escape, sizeof escape, c < 0x100 ? "\\x%02X" : "\\u{%04X}", static_cast<unsigned>(c));
      out += escape;
      at += length;
    } else {
      out.append(text, at, length);
      at += length;
    }
  }
  if (at < text.size()) out += message("... (", text.size(), " bytes in all)");
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
