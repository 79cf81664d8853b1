// Command-line arguments: "--name value", "--name=value" and boolean "--flag". Every lookup names the
// option in its error ("--n=abc is not an integer"), and unknown or unused options are errors, so a
// typo never silently falls back to a default.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace attnrank::cli {

class Args {
 public:
  // argv after the subcommand; `flags` lists the options that take no value.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& flags);

  bool has(const std::string& name) const;
  bool flag(const std::string& name);
  std::string text(const std::string& name, const std::string& fallback);
  long long integer(const std::string& name, long long fallback);
  double number(const std::string& name, double fallback);
  std::vector<std::string> list(const std::string& name, const std::string& fallback);

  // Throws for any option that was given but never read by the subcommand.
  void reject_unused() const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> used_;
};

long long parse_integer(const std::string& name, const std::string& text);
double parse_number(const std::string& name, const std::string& text);
std::vector<std::string> split_list(const std::string& text);
// "a,b,c": the inverse of split_list (default values of list options).
std::string join_list(const std::vector<std::string>& items);

}  // namespace attnrank::cli
