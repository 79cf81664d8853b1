// `attnrank arch`: parameter counts and inference FLOPs of GPT, UniLM and T5 at equal width and depth
// (src/core/architecture.h states the counting convention). JSON (--json), CSV (--csv) or a table.
#include <cstdio>
#include <iomanip>

#include "attnrank/experiments/architecture.h"
#include "commands.h"
#include "depth_options.h"
#include "report.h"

namespace attnrank::cli {

int run_arch(const std::vector<std::string>& argv, std::ostream& out) {
  Args args(argv, registry_flags());
  const OutputFormat format = output_format(args, true);
  ArchitectureConfig c;
  read_fields(architecture_fields(), kRequestArch, c, cli_source(args));
  args.reject_unused();
  const std::vector<ArchitectureCost> costs = architecture_costs(c);

  const ResultValue result = architectures_result(c, costs);
  if (format == OutputFormat::kJson) {
    out << to_json(result) << "\n";
    return 0;
  }
  if (format == OutputFormat::kCsv) {
    // One row per entry of `architectures`, its keys as columns (result_fields.h).
    const ResultValue& entries = *result.find("architectures");
    out << csv_header(entries.items.front());
    for (const ResultValue& entry : entries.items) out << csv_row(entry);
    return 0;
  }
  out << "d_model " << c.d_model << ", layers " << c.layers << " (t5: " << c.layers << " + " << c.layers
      << "), heads " << c.heads << ", d_ff " << c.d_ff << ", vocab " << c.vocab << ", n_in " << c.n_in << ", n_out "
      << c.n_out << "\n";
  out << std::left << std::setw(14) << "architecture" << std::setw(16) << "parameters" << std::setw(18)
      << "layer_params" << std::setw(16) << "flops" << "flops_per_token\n";
  for (const ArchitectureCost& a : costs) {
    char flops[32], per_token[32];
    std::snprintf(flops, sizeof flops, "%.4g", a.flops);
    std::snprintf(per_token, sizeof per_token, "%.4g", a.flops_per_token);
    out << std::left << std::setw(14) << architecture_name(a.kind) << std::setw(16) << a.parameters << std::setw(18)
        << a.layer_parameters << std::setw(16) << flops << per_token << "\n";
  }
  return 0;
}

}  // namespace attnrank::cli
