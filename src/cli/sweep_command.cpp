// `attnrank sweep`: every statistic against n, d or the logit scale, for several patterns. One row per
// (value, pattern); CSV (--csv), JSON (--json: the core's sweep_result, {over, values, results}) or a table.
#include <algorithm>
#include <iomanip>

#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"
#include "attnrank/base/pattern_registry.h"
#include "commands.h"
#include "options.h"
#include "report.h"

namespace attnrank::cli {

namespace {

enum class SweepAxis { kTokens, kHeadDim, kScale };

// name: one of the registry's choices of sweep_over (choice_param checked it).
SweepAxis parse_axis(const std::string& name) {
  if (name == "n") return SweepAxis::kTokens;
  if (name == "d") return SweepAxis::kHeadDim;
  return SweepAxis::kScale;
}

void set_axis_value(Request& request, SweepAxis axis, const std::string& value) {
  switch (axis) {
    case SweepAxis::kTokens: {
      // The documented ranges (param_ranges.h), as analyze() would word them (issue 16 item 12).
      const long long n = parse_integer("n", value);
      require_in_range(kTokensRange.name, n, kTokensRange.min, kTokensRange.max);
      set_tokens(request, static_cast<int>(n));
      break;
    }
    case SweepAxis::kHeadDim: {
      const long long d = parse_integer("d", value);
      require_in_range(kHeadDimRange.name, d, kHeadDimRange.min, kHeadDimRange.max);
      request.config.inputs.d = static_cast<int>(d);
      break;
    }
    case SweepAxis::kScale: request.config.scale = parse_number("scale", value); break;
  }
}

}  // namespace

int run_sweep(const std::vector<std::string>& argv, std::ostream& out) {
  Args args(argv, flag_options());
  if (!has_param(args, "sweep_over")) fail(ErrorCode::kInvalidArgument, "sweep_over", "--over is required (n, d or scale)");
  const std::string axis_name = choice_param(args, "sweep_over", kRequestSweep);
  const SweepAxis axis = parse_axis(axis_name);
  if (!has_param(args, "sweep_values")) {
    fail(ErrorCode::kInvalidArgument, "sweep_values", "--values is required (a comma-separated list)");
  }
  const std::vector<std::string> values = list_param(args, "sweep_values", kRequestSweep);
  const std::vector<std::string> patterns =
      list_param(args, "patterns", kRequestSweep, join_list(fixed_pattern_names(PatternGroup::kEssay)));
  const bool as_json = flag_param(args, "json");
  const bool as_csv = flag_param(args, "csv");
  if (as_json && as_csv) fail(ErrorCode::kInvalidArgument, "--json and --csv exclude each other");
  if (has_param(args, "pattern")) fail(ErrorCode::kInvalidArgument, "pattern", "sweep takes --patterns LIST, not --pattern");
  if (axis != SweepAxis::kScale && has_param(args, "q")) {
    fail(ErrorCode::kInvalidArgument, "--over " + axis_name + " needs seeded inputs, not --q/--k");
  }
  Request base = request_from_args(args, kRequestSweep);
  args.reject_unused();
  if (!base.dump_matrix_path.empty()) fail(ErrorCode::kInvalidArgument, "sweep does not take --dump-matrix");

  // Compute everything before printing, so a bad value never leaves a partial table behind.
  std::vector<std::pair<AnalysisConfig, AnalysisResult>> rows;
  for (const std::string& value : values) {
    for (const std::string& pattern : patterns) {
      Request request = base;
      request.config.mask.kind = parse_pattern(pattern);
      set_axis_value(request, axis, value);
      apply_size_defaults(request);
      rows.emplace_back(request.config, analyze(request.config));
    }
  }

  if (as_json) {
    out << to_json(sweep_result(axis_name, values, rows)) << "\n";
    return 0;
  }
  // Rows of different patterns carry different optional keys (prefix, window): the columns are every
  // scalar key of the analysis result (result_fields.h), so the header does not depend on the patterns
  // swept; cells a row lacks stay empty, and so do null values (numerical_rank_f64 at f32).
  const ResultSchema& analysis = result_schema("analysis");
  const std::vector<std::string> columns = scalar_keys(analysis);
  std::vector<std::vector<std::string>> table{columns};
  // CSV cells round-trip (shortest digits that read back as the same double); the table shows 6 digits
  // and the bounds ("<= floor", ">= kappa", "n/a at f32").
  for (const auto& [config, result] : rows) {
    const ResultValue fields = analysis_result(config, result);
    std::vector<std::string> line;
    for (const std::string& column : columns) {
      const ResultValue* value = fields.find(column);
      line.push_back(value == nullptr ? "" : as_csv ? csv_cell(*value) : table_cell(fields, column, analysis.fields));
    }
    table.push_back(line);
  }
  std::vector<std::size_t> widths(columns.size(), 0);
  for (const auto& line : table) {
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  for (const auto& line : table) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (as_csv) {
        out << (i ? "," : "") << line[i];
      } else {
        out << std::left << std::setw(static_cast<int>(widths[i] + 2)) << line[i];
      }
    }
    out << "\n";
  }
  return 0;
}

}  // namespace attnrank::cli
