// A small JSON reader for the tests (test-only: the core reads no JSON). Parses RFC 8259 text into a
// tree of JsonValue; numbers keep their source text so a test can tell 9007199254740993 from its double.
// Leaves out: \u escapes beyond ASCII (kept as '?'), duplicate-key detection, depth limits, speed. Throws
// std::runtime_error with the byte offset on malformed input.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace attnrank::test {

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0.0;
  std::string text;  // the string, or a number's source text
  std::vector<JsonValue> items;
  std::map<std::string, JsonValue> members;

  bool has(const std::string& key) const { return type == Type::kObject && members.count(key) != 0; }
  const JsonValue& at(const std::string& key) const {
    const auto found = members.find(key);
    if (type != Type::kObject || found == members.end()) throw std::runtime_error("json: no key " + key);
    return found->second;
  }
  bool is_null() const { return type == Type::kNull; }
  bool is_string() const { return type == Type::kString; }
  bool is_number() const { return type == Type::kNumber; }
  bool is_object() const { return type == Type::kObject; }
  bool is_array() const { return type == Type::kArray; }
};

class JsonParser {
 public:
  explicit JsonParser(const std::string& text) : text_(text) {}

  JsonValue parse_document() {
    JsonValue value = parse_value();
    skip_space();
    if (position_ != text_.size()) fail("trailing characters");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("json: " + what + " at byte " + std::to_string(position_));
  }

  void skip_space() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\n' ||
                                        text_[position_] == '\r' || text_[position_] == '\t')) {
      ++position_;
    }
  }

  char peek() {
    skip_space();
    if (position_ >= text_.size()) fail("unexpected end");
    return text_[position_];
  }

  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++position_;
  }

  bool take_word(const char* word) {
    const std::string w(word);
    if (text_.compare(position_, w.size(), w) != 0) return false;
    position_ += w.size();
    return true;
  }

  std::string parse_string() {
    expect('"');
    std::string out;
    while (true) {
      if (position_ >= text_.size()) fail("unterminated string");
      const char c = text_[position_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (position_ >= text_.size()) fail("unterminated escape");
      const char e = text_[position_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (position_ + 4 > text_.size()) fail("short \\u escape");
          const long code = std::strtol(text_.substr(position_, 4).c_str(), nullptr, 16);
          position_ += 4;
          out += code < 0x80 ? static_cast<char>(code) : '?';
          break;
        }
        default: fail("bad escape");
      }
    }
  }

  JsonValue parse_value() {
    JsonValue value;
    const char c = peek();
    if (c == '{') {
      value.type = JsonValue::Type::kObject;
      ++position_;
      if (peek() == '}') {
        ++position_;
        return value;
      }
      while (true) {
        const std::string key = parse_string();
        expect(':');
        value.members[key] = parse_value();
        if (peek() == ',') {
          ++position_;
          continue;
        }
        expect('}');
        return value;
      }
    }
    if (c == '[') {
      value.type = JsonValue::Type::kArray;
      ++position_;
      if (peek() == ']') {
        ++position_;
        return value;
      }
      while (true) {
        value.items.push_back(parse_value());
        if (peek() == ',') {
          ++position_;
          continue;
        }
        expect(']');
        return value;
      }
    }
    if (c == '"') {
      value.type = JsonValue::Type::kString;
      value.text = parse_string();
      return value;
    }
    if (take_word("true")) {
      value.type = JsonValue::Type::kBool;
      value.boolean = true;
      return value;
    }
    if (take_word("false")) {
      value.type = JsonValue::Type::kBool;
      return value;
    }
    if (take_word("null")) return value;
    const std::size_t start = position_;
    while (position_ < text_.size() && std::string("+-0123456789.eE").find(text_[position_]) != std::string::npos) {
      ++position_;
    }
    if (start == position_) fail("unexpected character");
    value.type = JsonValue::Type::kNumber;
    value.text = text_.substr(start, position_ - start);
    char* end = nullptr;
    value.number = std::strtod(value.text.c_str(), &end);
    if (end != value.text.c_str() + value.text.size()) fail("bad number " + value.text);
    return value;
  }

  const std::string& text_;
  std::size_t position_ = 0;
};

inline JsonValue parse_json(const std::string& text) { return JsonParser(text).parse_document(); }

}  // namespace attnrank::test
