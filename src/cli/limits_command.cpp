// `attnrank limits`: the core's parameter ranges (param_ranges.h; the tree of the wasm limits()), so
// scripts and docs never re-type them;
// `attnrank parameters`: the whole parameter registry as JSON, as the wasm module's parameters() returns it.
#include "attnrank/base/errors.h"
#include "attnrank/io/parameter_fields.h"
#include "attnrank/io/result_fields.h"
#include "commands.h"
#include "report.h"

namespace attnrank::cli {

int run_limits(const std::vector<std::string>& argv, std::ostream& out) {
  if (!argv.empty()) fail(ErrorCode::kInvalidArgument, "limits takes no options, got '" + argv[0] + "'");
  // The tree of the wasm module's limits() (result_fields.h: one table for both).
  for (const auto& [name, range] : limits_result().members) {
    out << name << " " << range.find("min")->integer << " " << range.find("max")->integer << "\n";
  }
  return 0;
}

int run_parameters(const std::vector<std::string>& argv, std::ostream& out) {
  if (!argv.empty()) fail(ErrorCode::kInvalidArgument, "parameters takes no options, got '" + argv[0] + "'");
  out << to_json(parameter_registry_result()) << "\n";
  return 0;
}

}  // namespace attnrank::cli
