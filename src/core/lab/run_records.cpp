// Reading checkpoint records back (see run_records.h).
#include "attnrank/lab/run_records.h"

#include <cmath>
#include <cstdlib>
#include <optional>

#include "attnrank/base/errors.h"

namespace attnrank::lab {
namespace {

class LineReader {
 public:
  LineReader(const std::string& text, std::size_t begin, std::size_t end, long long line)
      : text_(text), at_(begin), end_(end), line_(line) {}

  [[noreturn]] void refuse(const std::string& what) const {
    fail(ErrorCode::kInvalidArgument, "records",
         message("records line ", line_, ", byte ", static_cast<long long>(at_ - line_begin()), ": ", what));
  }

  RunRecord record() {
    RunRecord r;
    std::optional<double> loss, baseline;
    std::optional<long long> seed, step, steps;
    bool has_accuracy = false;
    bool has_task = false, has_config = false;
    space();
    expect('{');
    space();
    if (peek() == '}') refuse("an empty object");
    for (;;) {
      space();
      const std::string key = string();
      space();
      expect(':');
      space();
      if (key == "task") {
        r.task = string();
        has_task = true;
      } else if (key == "config") {
        r.config = string();
        has_config = true;
      } else if (key == "seed") {
        seed = integer(key);
      } else if (key == "step") {
        step = integer(key);
      } else if (key == "steps") {
        steps = integer(key);
      } else if (key == "heldout_loss") {
        loss = number(key);
      } else if (key == "baseline") {
        baseline = number(key);
      } else if (key == "heldout_accuracy") {
        has_accuracy = true;
        if (!literal("null")) r.heldout_accuracy = number(key);
      } else {
        skip_value();
      }
      space();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      expect('}');
      break;
    }
    space();
    if (at_ != end_) refuse("text after the object");
    const char* missing = !has_task ? "task" : !has_config ? "config" : !seed ? "seed" : !step ? "step" : !steps ? "steps"
                        : !loss ? "heldout_loss" : !has_accuracy ? "heldout_accuracy" : !baseline ? "baseline" : nullptr;
    if (missing != nullptr) refuse(message("no key ", missing, " (a lab_checkpoint record has it)"));
    if (*seed < 0 || *seed > 4294967295LL) refuse(message("seed=", *seed, " must be in [0, 4294967295]"));
    if (*step < 0 || *steps < 1 || *step > *steps || *steps > 2147483647LL) {
      refuse(message("step=", *step, ", steps=", *steps, ": need 0 <= step <= steps"));
    }
    r.seed = static_cast<std::uint64_t>(*seed);
    r.step = static_cast<int>(*step);
    r.steps = static_cast<int>(*steps);
    r.heldout_loss = *loss;
    r.baseline = *baseline;
    return r;
  }

 private:
  std::size_t line_begin() const {
    const std::size_t newline = at_ == 0 ? std::string::npos : text_.rfind('\n', at_ - 1);
    return newline == std::string::npos ? 0 : newline + 1;
  }
  char peek() const { return at_ < end_ ? text_[at_] : '\0'; }
  void space() {
    while (at_ < end_ && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\r')) ++at_;
  }
  void expect(char c) {
    if (peek() != c) refuse(message("expected '", c, "'"));
    ++at_;
  }
  bool literal(const char* word) {
    std::size_t i = 0;
    for (; word[i] != '\0'; ++i)
      if (at_ + i >= end_ || text_[at_ + i] != word[i]) return false;
    at_ += i;
    return true;
  }
  // A string's text (escapes: \" \\ \/ \b \f \n \r \t kept as their character; \uXXXX refused unless
  // ASCII, which no key or value the verdicts read needs).
  std::string string() {
    expect('"');
    std::string out;
    for (;;) {
      if (at_ >= end_) refuse("an unterminated string");
      const char c = text_[at_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) refuse("a control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= end_) refuse("an unterminated string");
      const char e = text_[at_++];
      switch (e) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (at_ + 4 > end_) refuse("a short \\u escape");
          const std::string hex = text_.substr(at_, 4);
          char* stop = nullptr;
          const long code = std::strtol(hex.c_str(), &stop, 16);
          if (stop != hex.c_str() + 4) refuse("a malformed \\u escape");
          if (code >= 0x80) refuse("a \\u escape beyond ASCII");
          out += static_cast<char>(code);
          at_ += 4;
          break;
        }
        default: refuse("an unknown escape");
      }
    }
  }
  // A JSON number's text: -?digits[.digits][e[+-]digits].
  double number(const std::string& key) {
    const std::size_t begin = at_;
    if (peek() == '-') ++at_;
    const auto digits = [this] {
      const std::size_t from = at_;
      while (at_ < end_ && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
      return at_ > from;
    };
    bool ok = digits();
    if (ok && peek() == '.') {
      ++at_;
      ok = digits();
    }
    if (ok && (peek() == 'e' || peek() == 'E')) {
      ++at_;
      if (peek() == '+' || peek() == '-') ++at_;
      ok = digits();
    }
    if (!ok) {
      at_ = begin;
      refuse(key + " must be a number");
    }
    const double value = std::strtod(text_.substr(begin, at_ - begin).c_str(), nullptr);
    if (!std::isfinite(value)) refuse(key + " must be finite");
    return value;
  }
  long long integer(const std::string& key) {
    const double value = number(key);
    if (std::floor(value) != value || std::fabs(value) > 9007199254740991.0) refuse(key + " must be an integer");
    return static_cast<long long>(value);
  }
  // Any value, nested ones by counting brackets (strings skipped whole), so depth costs no stack.
  void skip_value() {
    const char c = peek();
    if (c == '"') {
      string();
      return;
    }
    if (c == '{' || c == '[') {
      long long depth = 0;
      do {
        const char d = peek();
        if (at_ >= end_) refuse("an unterminated array or object");
        if (d == '"') {
          string();
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') --depth;
        ++at_;
      } while (depth > 0);
      return;
    }
    if (literal("null") || literal("true") || literal("false")) return;
    number("a value");
  }

  const std::string& text_;
  std::size_t at_;
  std::size_t end_;
  long long line_;
};

}  // namespace

std::vector<RunRecord> read_run_records(const std::string& jsonl) {
  std::vector<RunRecord> out;
  std::size_t begin = 0;
  for (long long line = 1; begin <= jsonl.size(); ++line) {
    std::size_t end = jsonl.find('\n', begin);
    if (end == std::string::npos) end = jsonl.size();
    const bool blank = jsonl.find_first_not_of(" \t\r", begin) >= end;
    if (!blank) out.push_back(LineReader(jsonl, begin, end, line).record());
    begin = end + 1;
  }
  return out;
}

}  // namespace attnrank::lab
