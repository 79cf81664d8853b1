// `attnrank permutation`: the permutation test of claims.md C16 (src/core/permutation.h) for several
// patterns: max |f(P X) - P f(X)| of one attention layer, absolute and relative. JSON (--json) or a table.
#include <cstdio>
#include <iomanip>

#include "attnrank/base/errors.h"
#include "attnrank/base/pattern_registry.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/permutation.h"
#include "commands.h"
#include "depth_options.h"
#include "options.h"
#include "report.h"

namespace attnrank::cli {

int run_permutation(const std::vector<std::string>& argv, std::ostream& out) {
  Args args(argv, registry_flags());
  const OutputFormat format = output_format(args, false);
  constexpr RequestKind kCommand = kRequestPermutation;
  const ConfigTable<PermutationConfig>& fields = permutation_fields();
  PermutationConfig base;
  const std::set<std::string> given = read_fields(fields, kCommand, base, cli_source(args));
  finish_permutation_config(base, given.count("prefix") > 0, given.count("window") > 0);
  const std::vector<std::string> patterns =
      list_param(args, "patterns", kCommand, join_list(fixed_pattern_names()));
  args.reject_unused();
  std::vector<std::pair<PermutationConfig, PermutationResult>> rows;
  for (const std::string& name : patterns) {
    PermutationConfig config = base;  // one test per item of the list, applied by its row
    apply_field(fields, field_of(fields, "patterns"), config, ParamValue{0, 0.0, false, name});
    if (config.mask.kind == PatternKind::kCustom) {
      fail(ErrorCode::kInvalidArgument, "pattern=custom is not available for the permutation test");
    }
    rows.emplace_back(config, run_permutation_test(config));
  }
  if (format == OutputFormat::kJson) {
    // The shared configuration once, then each pattern exactly as the wasm module's permutation() returns it.
    out << to_json(permutation_runs_result(base, rows)) << "\n";
    return 0;
  }
  out << "one attention layer, no positional encoding: max |f(P X) - P f(X)| (n " << base.n << ", d_model "
      << base.d_model << ", scale " << base.scale << ", seed " << base.seed << ")\n";
  out << std::left << std::setw(18) << "pattern" << std::setw(16) << "max_deviation" << std::setw(20)
      << "relative_deviation" << "equivariant\n";
  for (const auto& [config, r] : rows) {
    char absolute[32], relative[32];
    std::snprintf(absolute, sizeof absolute, "%.3g", r.max_deviation);
    std::snprintf(relative, sizeof relative, "%.3g", r.relative_deviation);
    out << std::left << std::setw(18) << pattern_name(config.mask.kind) << std::setw(16) << absolute << std::setw(20) << relative
        << (r.is_equivariant ? "true" : "false") << "\n";
  }
  return 0;
}

}  // namespace attnrank::cli
