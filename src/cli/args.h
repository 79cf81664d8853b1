// Command-line arguments: "--name value", "--name=value" and boolean "--flag". Options are read through
// the parameter registry (parameter_registry.h): its CLI flag, its default for the command and its type;
// a value that is not of the type is refused in the core's words naming the parameter ('n="abc" must be
// an integer number (got string)', as the page words URL text). Unknown or unused options are errors,
// so a typo never silently falls back to a default.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "attnrank/base/parameter_registry.h"
#include "attnrank/io/request_fields.h"

namespace attnrank::cli {

class Args {
 public:
  // argv after the subcommand; `flags` lists the options that take no value.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& flags);

  bool has(const std::string& name) const;
  // The raw text of option `name` (marked as read), or fallback.
  std::string text(const std::string& name, const std::string& fallback);

  // Throws for any option that was given but never read by the subcommand.
  void reject_unused() const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> used_;
};

// The options that take no value: the registry's boolean parameters.
const std::set<std::string>& registry_flags();

// Parameter `name` of the registry: given (its --<cli_flag>), or read as its type from the option, else its
// default for `request` (a registry default of "" - derived, like prefix = n / 2 - gives `derived`).
bool has_param(const Args& args, const char* name);
long long integer_param(Args& args, const char* name, RequestKind request, long long derived = 0);
// integer_param narrowed to int (outside int: the core's range message).
int int_param(Args& args, const char* name, RequestKind request, long long derived = 0);
double number_param(Args& args, const char* name, RequestKind request);
bool flag_param(Args& args, const char* name);
// A choice: checked against the registry's choices in the core's words unless the core parses it
// (pattern, kind, feature, precision: their parsers word the error).
std::string choice_param(Args& args, const char* name, RequestKind request);
std::string text_param(Args& args, const char* name, RequestKind request);
std::vector<std::string> list_param(Args& args, const char* name, RequestKind request, const std::string& derived = "");

// The CLI's side of the request field tables (io/request_fields.h): a row's value is option --<cli_flag>
// read as the registry's type (refused in the core's words), or none when not given. Rows the CLI does not
// read this way: wasm-only keys, parameters without a flag, lists (the command loops over their items).
FieldSource cli_source(Args& args);

// Text -> a value, refused in the core's words (errors.h kWords) naming the parameter `name`.
long long parse_integer(const std::string& name, const std::string& text);
double parse_number(const std::string& name, const std::string& text);
bool parse_boolean(const std::string& name, const std::string& text);  // "true" or "false"
std::vector<std::string> split_list(const std::string& text);
// "a,b,c": the inverse of split_list (default values of list options).
std::string join_list(const std::vector<std::string>& items);

}  // namespace attnrank::cli
