// `attnrank mixture`: the forward/backward head mixture (src/core/mixture.h). JSON (--json) or a table:
// per head, the concatenated output, the two-layer product A_bwd A_fwd and the split head.
#include <cstdio>
#include <iomanip>
#include <set>
#include <string>

#include "attnrank/experiments/mixture.h"
#include "commands.h"
#include "depth_options.h"
#include "options.h"
#include "report.h"

namespace attnrank::cli {

namespace {

// The f64 count, or "n/a at f32" (run_mixture works in f64, so this is the count in practice).
std::string rank_f64_text(const RankStats& s) {
  return s.numerical_rank_f64 ? std::to_string(*s.numerical_rank_f64) : "n/a at f32";
}

std::string g(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

}  // namespace

int run_mixture(const std::vector<std::string>& argv, std::ostream& out) {
  Args args(argv, registry_flags());
  const OutputFormat format = output_format(args, false);
  MixtureConfig config;
  const std::set<std::string> given = read_fields(mixture_fields(), kRequestMixture, config, cli_source(args));
  finish_mixture_config(config, given.count("d") > 0, given.count("d_model") > 0);
  args.reject_unused();
  const MixtureResult r = run_mixture(config);

  if (format == OutputFormat::kJson) {
    out << to_json(mixture_result(config, r)) << "\n";
    return 0;
  }
  out << "n " << r.n << ", d_model " << r.d_model << ", heads " << r.heads << " (d_head " << r.d_head << "), scale "
      << config.scale << ", seed " << config.seed << "\n";
  out << std::left << std::setw(24) << "matrix" << std::setw(12) << "rank_f64" << std::setw(12) << "rank_f32"
      << std::setw(14) << "eff_rank" << std::setw(14) << "cond" << std::setw(12) << "min_diag" << "full_rank_struct\n";
  for (const MixtureHead& h : r.per_head) {
    out << std::left << std::setw(24) << ("head " + std::to_string(h.head) + (h.is_forward ? " forward" : " backward"))
        << std::setw(12) << rank_f64_text(h.stats) << std::setw(12) << h.stats.numerical_rank_f32 << std::setw(14)
        << g(h.stats.effective_rank) << std::setw(14)
        << ((h.stats.condition_is_lower_bound ? ">=" : "") + g(h.stats.condition_number)) << std::setw(12)
        << g(h.min_diagonal) << (h.stats.structurally_full_rank ? "true" : "false") << "\n";
  }
  out << std::left << std::setw(24) << "A_bwd A_fwd" << std::setw(12) << rank_f64_text(r.product) << std::setw(12)
      << r.product.numerical_rank_f32 << std::setw(14) << g(r.product.effective_rank) << std::setw(14)
      << ((r.product.condition_is_lower_bound ? ">=" : "") + g(r.product.condition_number))
      << "min entry " << g(r.product_min_entry) << (r.product_is_strictly_positive ? " (all > 0)" : " (NOT all > 0)")
      << "\n";
  out << std::left << std::setw(24) << "split head" << std::setw(12) << rank_f64_text(r.split_head)
      << std::setw(12) << r.split_head.numerical_rank_f32 << std::setw(14) << g(r.split_head.effective_rank)
      << std::setw(14) << ((r.split_head.condition_is_lower_bound ? ">=" : "") + g(r.split_head.condition_number))
      << "min entry " << g(r.split_head_min_entry) << "\n";
  out << "output (n x d_model): numerical rank " << r.output.numerical_rank << ", effective rank "
      << g(r.output.effective_rank) << ", stable rank " << g(r.output.stable_rank) << "\n";
  return 0;
}

}  // namespace attnrank::cli
