// Where the time of one full softmax stats request goes (issue 20): the steps analyze() runs for a seeded
// f64 request (attnrank/experiments/analysis.cpp), each timed on its own, plus the whole analyze() beside
// them. The SVD is split without reaching into its code: singular_values() in total (for a non-triangular A
// singular_values_and_determinant(), as compute_rank_stats runs it: the determinant comes from the same
// reduction, so the log_abs_det step is empty then; for a triangular A it is the diagonal's logs), and
// bidiagonal_singular_values() alone on the bidiagonal of the same A (reduced, untimed, by Eigen's blocked
// Householder reduction: whichever reduction singular_values() runs, the QR's input is a bidiagonal of the
// same singular values); the bidiagonalisation is the difference.
// The same program runs natively and as wasm under node. Each round runs every step once, in order, so
// the steps share the machine's load; a cell is the median over the rounds, of wall time and of CPU time
// (natively the process's CPU clock; in wasm node's process.cpuUsage(), user + system).
// A benchmark, never a test. Usage: attnrank_breakdown [--sizes 256,1024,2048] [--d 64] [--rounds 5]
//   [--patterns bidirectional,prefix,forward,backward]; prints CSV (one row per n, pattern and step).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <cmath>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <Eigen/QR>
#include <Eigen/SVD>

#include "attention/attention.h"
#include "attnrank/attention/masks.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/random/inputs.h"
#include "attnrank/stats/rank_stats.h"
#include "linalg/bidiagonal_svd.h"
#include "linalg/spectrum.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "bench_lists.h"

namespace {

using attnrank::bench::parse_sizes;
using attnrank::bench::split_commas;

using attnrank::MatrixXd;

double wall_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double cpu_ms() {
#ifdef __EMSCRIPTEN__
  // node's own CPU account of this process (the wasm runs on its main thread).
  return EM_ASM_DOUBLE({
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  });
#else
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) * 1e-6;
#endif
}

// The bidiagonal (diagonal, superdiagonal) of A, scaled as spectrum.cpp scales it: the input of the
// bidiagonal QR. Reduced with Eigen's blocked Householder reduction (only its values' distribution
// matters for the QR's time).
void bidiagonal_of(const MatrixXd& a, std::vector<double>& diagonal, std::vector<double>& superdiagonal) {
  using ColMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  ColMajorMatrix tall = a;
  int exponent = 0;
  std::frexp(tall.cwiseAbs().maxCoeff(), &exponent);
  tall *= std::ldexp(1.0, -exponent);
  const Eigen::Index size = tall.cols();
  Eigen::internal::UpperBidiagonalization<ColMajorMatrix>::BidiagonalType bidiagonal(size, size);
  Eigen::internal::upperbidiagonalization_inplace_blocked(tall, bidiagonal);
  diagonal.assign(static_cast<std::size_t>(size), 0.0);
  superdiagonal.assign(static_cast<std::size_t>(size - 1), 0.0);
  for (Eigen::Index i = 0; i < size; ++i) diagonal[static_cast<std::size_t>(i)] = bidiagonal.diagonal()(i);
  for (Eigen::Index i = 0; i + 1 < size; ++i) superdiagonal[static_cast<std::size_t>(i)] = bidiagonal.diagonal<1>()(i);
}

struct Step {
  std::string name;
  std::function<void()> run;
  std::vector<double> wall;
  std::vector<double> cpu;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Keeps results alive so no step is optimised away.
volatile double sink = 0.0;

void time_request(int n, int d, const std::string& pattern, int rounds) {
  attnrank::AnalysisConfig config;
  config.mask.kind = attnrank::parse_pattern(pattern);
  config.mask.prefix = attnrank::default_prefix(n);
  config.inputs.n = n;
  config.inputs.d = d;
  config.inputs.seed = 7;
  config.precision = attnrank::Precision::F64;

  // The request's matrices, made once for the steps that take them as input.
  const attnrank::InputMatrices inputs = attnrank::generate_query_key_inputs(config.inputs);
  const attnrank::Mask mask = attnrank::build_mask(config.mask, n);
  const MatrixXd logits = attnrank::unscaled_logits(inputs.q, inputs.k);
  const MatrixXd a = attnrank::masked_softmax(logits, config.scale, mask);
  std::vector<double> diagonal, superdiagonal;
  bidiagonal_of(a, diagonal, superdiagonal);
  // logits_rank's last step on its own: the SVD of a d x d core R_Q R_K^T (Eigen's QR, untimed: only the
  // size and the values' spread matter for the time).
  const auto triangle_of = [d](const MatrixXd& x) {
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr{Eigen::MatrixXd(x)};
    return MatrixXd(qr.matrixQR().topRows(d).triangularView<Eigen::Upper>());
  };
  const MatrixXd core = triangle_of(inputs.q) * triangle_of(inputs.k).transpose();

  std::vector<Step> steps;
  // As analyze() runs them: Q and K only (analyze never reads V); the softmax of a copy of the logits (analyze
  // overwrites its logits in place; the copy, n^2 doubles, is the one cost here that analyze does not pay).
  steps.push_back({"inputs", [&] { sink = sink + attnrank::generate_query_key_inputs(config.inputs).q(0, 0); }, {}, {}});
  steps.push_back({"logits_rank", [&] { sink = sink + attnrank::logits_rank(inputs.q, inputs.k, config.scale); }, {}, {}});
  steps.push_back({"logits_rank_core_svd", [&] { sink = sink + attnrank::singular_values(core)(0); }, {}, {}});
  steps.push_back({"mask", [&] { sink = sink + attnrank::build_mask(config.mask, n)(0, 0); }, {}, {}});
  steps.push_back({"logits_gemm", [&] { sink = sink + attnrank::unscaled_logits(inputs.q, inputs.k)(0, 0); }, {}, {}});
  steps.push_back({"softmax_copy", [&] { sink = sink + MatrixXd(logits)(0, 0); }, {}, {}});
  steps.push_back({"softmax", [&] { sink = sink + attnrank::masked_softmax(logits, config.scale, mask)(0, 0); }, {}, {}});
  // What the request runs (compute_rank_stats): a non-triangular A's determinant comes out of the SVD's own
  // reduction, so svd_total includes it and log_abs_det is empty; a triangular A's is the diagonal's logs.
  const bool triangular = attnrank::is_lower_triangular(a) || attnrank::is_upper_triangular(a);
  steps.push_back({"svd_total", [&] {
                     sink = sink + (triangular ? attnrank::singular_values(a)(0)
                                               : attnrank::singular_values_and_determinant(a).singular_values(0));
                   }, {}, {}});
  steps.push_back({"bidiagonal_qr", [&] {
                     std::vector<double> dd = diagonal, ee = superdiagonal;
                     attnrank::bidiagonal_singular_values(dd, ee);
                     sink = sink + dd[0];
                   }, {}, {}});
  steps.push_back({"log_abs_det", [&] { if (triangular) sink = sink + attnrank::log_abs_det(a).log_abs; }, {}, {}});
  steps.push_back({"rank_stats_total", [&] { sink = sink + attnrank::compute_rank_stats(a).effective_rank; }, {}, {}});
  steps.push_back({"analyze", [&] { sink = sink + attnrank::analyze(config).stats.effective_rank; }, {}, {}});

  for (Step& step : steps) step.run();  // warm-up: page faults, allocator, wasm tier-up
  for (int round = 0; round < rounds; ++round) {
    for (Step& step : steps) {
      const double wall_start = wall_ms();
      const double cpu_start = cpu_ms();
      step.run();
      step.cpu.push_back(cpu_ms() - cpu_start);
      step.wall.push_back(wall_ms() - wall_start);
    }
  }
  for (const Step& step : steps) {
    std::cout << n << "," << d << "," << pattern << "," << step.name << "," << median(step.wall) << ","
              << median(step.cpu) << "," << rounds << std::endl;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes{256, 1024, 2048};
  int d = 64;
  int rounds = 5;
  std::vector<std::string> patterns{"bidirectional", "prefix", "forward", "backward"};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--sizes") {
      sizes.clear();
      sizes = parse_sizes(value);
    } else if (name == "--d") {
      d = std::atoi(value.c_str());
    } else if (name == "--rounds") {
      rounds = std::max(1, std::atoi(value.c_str()));
    } else if (name == "--patterns") {
      patterns = split_commas(value);
    } else {
      std::cerr << "unknown option " << name << "\n";
      return 2;
    }
  }
  std::cout << "n,d,pattern,step,median_wall_ms,median_cpu_ms,rounds\n";
  for (const int n : sizes) {
    for (const std::string& pattern : patterns) time_request(n, d, pattern, rounds);
  }
  return 0;
}
