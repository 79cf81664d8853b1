// `attnrank stats`: one configuration -> statistics as JSON (--json) or a readable table; optionally
// the matrix A as .npy (--dump-matrix, in the request's precision).
#include <iomanip>

#include "attnrank/io/npy.h"
#include "commands.h"
#include "file_io.h"
#include "options.h"
#include "report.h"

namespace attnrank::cli {

namespace {

// The spectrum in a table: all values for small n, otherwise the first and last few; then how many of
// them are at or below the accuracy floor (rounding noise, kept only because they were computed).
void print_spectrum(const RankStats& stats, std::ostream& out) {
  constexpr Eigen::Index kShownAtEachEnd = 4;
  const VectorXd& values = stats.singular_values;
  out << "singular_values";
  const Eigen::Index count = values.size();
  for (Eigen::Index i = 0; i < count; ++i) {
    if (count > 2 * kShownAtEachEnd && i == kShownAtEachEnd) {
      out << " ...";
      i = count - kShownAtEachEnd;
    }
    out << " " << std::setprecision(4) << values[i];
  }
  out << "\n";
  const auto below = (values.array() <= stats.accuracy_floor).count();
  if (below > 0) {
    out << "(" << below << " of " << count << " singular values at or below the accuracy floor "
        << short_number(stats.accuracy_floor, 2) << ": rounding noise, not resolved)\n";
  }
}

}  // namespace

int run_stats(const std::vector<std::string>& argv, std::ostream& out) {
  Args args(argv, flag_options());
  const bool as_json = flag_param(args, "json");
  Request request = request_from_args(args, kRequestStats);
  args.reject_unused();

  const AnalysisResult result = analyze(request.config);
  if (result.matrix) {
    write_file(request.dump_matrix_path, write_npy(*result.matrix, request.config.precision));
  }
  const ResultValue fields = analysis_result(request.config, result);
  if (as_json) {
    out << to_json(fields) << "\n";
    return 0;
  }
  // Bounds read as bounds in the table ("<= floor", ">= kappa", "n/a at f32"); the JSON carries the flags.
  const std::vector<ResultField>& described = result_schema("analysis").fields;
  for (const auto& [key, value] : fields.members) {
    if (value.type == ResultValue::Type::kNumbers) continue;  // the spectrum, below
    out << std::left << std::setw(32) << key << table_cell(fields, key, described) << "\n";
  }
  print_spectrum(result.stats, out);
  return 0;
}

}  // namespace attnrank::cli
