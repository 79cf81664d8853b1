// Strict parsing of options: whole-string numbers only, no silent defaults for misspelled options.
#include "args.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "attnrank/base/errors.h"

namespace attnrank::cli {

namespace {
[[noreturn]] void bad_option(const std::string& message) { fail(ErrorCode::kInvalidArgument, message); }
}  // namespace

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (word.rfind("--", 0) != 0 || word.size() == 2) bad_option("unexpected argument '" + word + "'");
    std::string name = word.substr(2);
    std::string value;
    const std::size_t equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    } else if (flags.count(name)) {
      value = "true";
    } else {
      if (i + 1 >= argv.size()) bad_option("--" + name + " needs a value");
      value = argv[++i];
    }
    if (values_.count(name)) bad_option("--" + name + " is given twice");
    values_[name] = value;
  }
}

bool Args::has(const std::string& name) const { return values_.count(name) > 0; }

bool Args::flag(const std::string& name) {
  used_.insert(name);
  auto it = values_.find(name);
  if (it == values_.end()) return false;
  if (it->second == "true") return true;
  if (it->second == "false") return false;
  bad_option("--" + name + "=" + it->second + " must be true or false");
}

std::string Args::text(const std::string& name, const std::string& fallback) {
  used_.insert(name);
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

long long Args::integer(const std::string& name, long long fallback) {
  used_.insert(name);
  auto it = values_.find(name);
  return it == values_.end() ? fallback : parse_integer(name, it->second);
}

double Args::number(const std::string& name, double fallback) {
  used_.insert(name);
  auto it = values_.find(name);
  return it == values_.end() ? fallback : parse_number(name, it->second);
}

std::vector<std::string> Args::list(const std::string& name, const std::string& fallback) {
  return split_list(text(name, fallback));
}

void Args::reject_unused() const {
  for (const auto& [name, value] : values_) {
    if (!used_.count(name)) bad_option("unknown option --" + name);
  }
}

long long parse_integer(const std::string& name, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) bad_option(name + "=" + text + " is not an integer");
  return value;
}

double parse_number(const std::string& name, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') bad_option(name + "=" + text + " is not a number");
  if (!std::isfinite(value) || errno == ERANGE) {
    if (!(errno == ERANGE && value == 0.0)) bad_option(name + "=" + text + " must be finite");
  }
  return value;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) bad_option("empty item in list '" + text + "'");
    items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

}  // namespace attnrank::cli
