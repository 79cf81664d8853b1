// `attnrank collapse`: rank collapse across depth (src/core/collapse.h) for several patterns and
// variants. JSON (--json: the config and one object per (pattern, variant) with per-layer arrays), CSV
// (--csv: one row per pattern, variant and layer) or a table of the last layer's metrics.
#include <cstdio>
#include <iomanip>

#include "attnrank/base/errors.h"
#include "attnrank/base/pattern_registry.h"
#include "attnrank/experiments/collapse.h"
#include "commands.h"
#include "depth_options.h"
#include "options.h"
#include "report.h"

namespace attnrank::cli {

namespace {

std::string short_number(double value) { return cli::short_number(value, 4); }

}  // namespace

int run_collapse(const std::vector<std::string>& argv, std::ostream& out) {
  Args args(argv, registry_flags());
  const OutputFormat format = output_format(args, true);
  constexpr RequestKind kCommand = kRequestCollapse;
  // Every config field through the core's table (request_fields.h): d_k, d_ff, prefix and window not given
  // keep the core's "use the default" values (0, -1); given, they are bounded there.
  const ConfigTable<CollapseConfig>& fields = collapse_fields();
  CollapseConfig base;
  const std::set<std::string> given = read_fields(fields, kCommand, base, cli_source(args));
  const std::vector<std::string> patterns = list_param(args, "patterns", kCommand, join_list(depth_schedule_names()));
  const std::vector<std::string> variants = list_param(args, "variants", kCommand);
  args.reject_unused();
  // A given prefix / window in [0, n] / [1, n], in the core's words (the binding's too).
  finish_collapse_config(base, given.count("prefix") > 0, given.count("window") > 0);

  // Compute everything before printing: a bad value never leaves partial output.
  struct Run {
    CollapseConfig config;
    CollapseResult result;
  };
  std::vector<Run> runs;
  for (const std::string& pattern : patterns) {
    for (const std::string& variant : variants) {
      CollapseConfig config = base;  // one run per item of the two lists, applied by their rows
      apply_field(fields, field_of(fields, "patterns"), config, ParamValue{0, 0.0, false, pattern});
      apply_field(fields, field_of(fields, "variant"), config, ParamValue{0, 0.0, false, variant});
      runs.push_back({config, run_collapse(config)});
    }
  }
  const CollapseResult& first = runs.front().result;

  if (format == OutputFormat::kJson) {
    // The shared configuration once, then each run exactly as the wasm module's collapse() returns it.
    ResultValue trees = ResultValue::list();
    for (const Run& run : runs) trees.push(collapse_result(run.config, run.result));
    out << to_json(collapse_runs_result(base, first, trees)) << "\n";
    return 0;
  }
  if (format == OutputFormat::kCsv) {
    // One row per pattern, variant and layer: the keys of collapse_layers_result (result_fields.h).
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const ResultValue rows = collapse_layers_result(runs[i].config, runs[i].result);
      if (i == 0) out << csv_header(rows.items.front());
      for (const ResultValue& row : rows.items) out << csv_row(row);
    }
    return 0;
  }
  out << "n " << first.n << ", d_model " << first.d_model << ", d_k " << first.d_k << ", layers " << first.layers
      << ", scale " << base.scale << ", seed " << base.seed << "; metrics after layer L (X_0 has r_0 = "
      << short_number(runs.front().result.per_layer.front().relative_residual) << ")\n";
  const int w = 22;
  out << std::left << std::setw(18) << "pattern" << std::setw(w) << "variant" << std::setw(14) << "r_L"
      << std::setw(14) << "composite_L" << std::setw(14) << "path_r_L" << std::setw(20) << "path_dist_token0_L"
      << "random_path_r_L\n";
  for (const Run& run : runs) {
    const LayerMetrics& m = run.result.per_layer.back();
    out << std::left << std::setw(18) << run.config.pattern.id << std::setw(w)
        << collapse_variant_name(run.config.variant) << std::setw(14) << short_number(m.relative_residual)
        << std::setw(14) << short_number(m.composite_residual) << std::setw(14) << short_number(m.path_residual)
        << std::setw(20) << short_number(m.path_distance_to_token0) << short_number(m.random_path_residual) << "\n";
  }
  return 0;
}

}  // namespace attnrank::cli
