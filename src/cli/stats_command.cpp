// `attnrank stats`: one configuration -> statistics as JSON (--json) or a readable table; optionally
// the matrix A as .npy (--dump-matrix, in the request's precision).
#include <iomanip>

#include "commands.h"
#include "file_io.h"
#include "npy.h"
#include "options.h"
#include "report.h"

namespace attnrank::cli {

namespace {

// The spectrum in a table: all values for small n, otherwise the first and last few.
void print_spectrum(const VectorXd& values, std::ostream& out) {
  constexpr Eigen::Index kShownAtEachEnd = 4;
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
}

}  // namespace

int run_stats(const std::vector<std::string>& argv, std::ostream& out) {
  Args args(argv, flag_options());
  const bool as_json = args.flag("json");
  Request request = request_from_args(args);
  args.reject_unused();

  const AnalysisResult result = analyze(request.config);
  if (result.matrix) {
    write_file(request.dump_matrix_path, write_npy(*result.matrix, request.config.precision));
  }
  if (as_json) {
    out << result_json(request.config, result) << "\n";
    return 0;
  }
  for (const Field& field : result_fields(request.config, result)) {
    // A lower bound reads as one in the table; the JSON carries the flag as its own key.
    const bool is_bound = field.name == "condition_number" && result.stats.condition_is_lower_bound;
    out << std::left << std::setw(32) << field.name << (is_bound ? ">= " : "") << field_text(field) << "\n";
  }
  print_spectrum(result.stats.singular_values, out);
  return 0;
}

}  // namespace attnrank::cli
