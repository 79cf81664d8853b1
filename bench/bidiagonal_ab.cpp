// The values-only bidiagonal solver alone, A/B interleaved in one process (issue 20; a benchmark, never a
// test): "qr", bidiagonal_singular_values_by_qr (the implicitly shifted Golub-Kahan QR: main's solver up
// to session 14, bit for bit), against "dqds", bidiagonal_singular_values as shipped. Inputs: the
// bidiagonals of attention-like matrices, row softmax of s Q K^T / 8 with Q, K n x 64 standard normal
// (Box-Muller on an LCG), full (bidirectional) or causal, scaled by a power of two and reduced by Eigen's
// blocked Householder bidiagonalisation, untimed (the solver's input is the same bidiagonal either way;
// only its values' distribution matters for the time). Each round runs qr then dqds on fresh copies,
// `reps` times each; a cell is the median (and minimum) over the rounds of the process CPU time per solve
// (CLOCK_PROCESS_CPUTIME_ID natively, node's process.cpuUsage() in wasm). Also printed: the largest
// difference of the two spectra / (eps s_1), the 1-minute load average before and after.
// Self-contained (no CMake target); from the repository root:
// (each command one line; the first argument: rounds, default 9)
//   native: g++ -O3 -std=c++17 -ffp-contract=off -Isrc/core -isystem /usr/include/eigen3
//             bench/bidiagonal_ab.cpp src/core/linalg/bidiagonal_svd.cpp -o /tmp/bidiagonal_ab && /tmp/bidiagonal_ab 15
//   wasm:   em++ -O3 -msimd128 -std=c++17 -ffp-contract=off -Isrc/core -isystem /usr/include/eigen3
//             bench/bidiagonal_ab.cpp src/core/linalg/bidiagonal_svd.cpp -sENVIRONMENT=node -sSINGLE_FILE=1
//             -sALLOW_MEMORY_GROWTH=1 -o /tmp/bidiagonal_ab.js && node /tmp/bidiagonal_ab.js 15
//   (em++ needs NODE_PATH=/usr/share/nodejs with Debian's emscripten, as build-wasm.sh sets it.)
#include <Eigen/Dense>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#if defined(__EMSCRIPTEN__)
#include <emscripten.h>
#endif

#include "linalg/bidiagonal_svd.h"

namespace {

#if defined(__EMSCRIPTEN__)
EM_JS(double, process_cpu_ms, (), {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
});
EM_JS(double, load_average, (), { return require('os').loadavg()[0]; });
#else
double process_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return 1000.0 * static_cast<double>(now.tv_sec) + 1e-6 * static_cast<double>(now.tv_nsec);
}
double load_average() {
  std::FILE* file = std::fopen("/proc/loadavg", "r");
  double load = -1;
  if (file != nullptr) {
    if (std::fscanf(file, "%lf", &load) != 1) load = -1;
    std::fclose(file);
  }
  return load;
}
#endif

using ColMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

struct Bidiagonal {
  std::vector<double> d, e;
};

Bidiagonal attention_bidiagonal(int n, bool causal, double scale, std::uint64_t seed) {
  std::uint64_t state = seed;
  const auto uniform = [&state] {  // (0, 1]
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (static_cast<double>(state >> 11) + 1.0) * 0x1p-53;
  };
  const auto normal = [&] { return std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); };
  ColMajor q(n, 64), k(n, 64);
  for (Eigen::Index i = 0; i < q.size(); ++i) q.data()[i] = normal();
  for (Eigen::Index i = 0; i < k.size(); ++i) k.data()[i] = normal();
  ColMajor a = (scale / 8.0) * q * k.transpose();
  for (int i = 0; i < n; ++i) {
    const int last = causal ? i : n - 1;
    double largest = a(i, 0);
    for (int j = 1; j <= last; ++j) largest = std::max(largest, a(i, j));
    double sum = 0;
    for (int j = 0; j < n; ++j) {
      a(i, j) = j <= last ? std::exp(a(i, j) - largest) : 0.0;
      sum += a(i, j);
    }
    for (int j = 0; j < n; ++j) a(i, j) /= sum;
  }
  int exponent = 0;
  std::frexp(a.cwiseAbs().maxCoeff(), &exponent);
  a *= std::ldexp(1.0, -exponent);
  Eigen::internal::UpperBidiagonalization<ColMajor>::BidiagonalType bidiagonal(n, n);
  Eigen::internal::upperbidiagonalization_inplace_blocked(a, bidiagonal);
  Bidiagonal b{std::vector<double>(static_cast<std::size_t>(n)), std::vector<double>(static_cast<std::size_t>(n - 1))};
  for (int i = 0; i < n; ++i) b.d[static_cast<std::size_t>(i)] = bidiagonal.diagonal()(i);
  for (int i = 0; i + 1 < n; ++i) b.e[static_cast<std::size_t>(i)] = bidiagonal.diagonal<1>()(i);
  return b;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 9;
  struct Case {
    const char* name;
    int n;
    bool causal;
    double scale;
  };
  const Case cases[] = {{"bidirectional", 256, false, 1.0}, {"bidirectional s=4", 256, false, 4.0},
                        {"causal", 256, true, 1.0},         {"bidirectional", 1024, false, 1.0},
                        {"causal", 1024, true, 1.0}};
  std::printf("load average before: %.2f\n", load_average());
  std::printf("case,n,qr_cpu_ms_median,dqds_cpu_ms_median,qr_cpu_ms_min,dqds_cpu_ms_min,ratio,max_diff_over_eps_s1\n");
  for (const Case& c : cases) {
    const Bidiagonal input = attention_bidiagonal(c.n, c.causal, c.scale, 1000 + static_cast<std::uint64_t>(c.n) + (c.causal ? 1 : 0));
    const int reps = c.n <= 256 ? 20 : 2;
    std::vector<double> times[2];
    std::vector<double> result[2];
    for (int r = 0; r < rounds; ++r) {
      for (int variant = 0; variant < 2; ++variant) {
        const double start = process_cpu_ms();
        for (int k = 0; k < reps; ++k) {
          Bidiagonal b = input;
          const bool ok = variant == 0 ? attnrank::bidiagonal_singular_values_by_qr(b.d, b.e)
                                       : attnrank::bidiagonal_singular_values(b.d, b.e);
          if (!ok) std::printf("variant %d did not converge\n", variant);
          result[variant] = b.d;
        }
        times[variant].push_back((process_cpu_ms() - start) / reps);
      }
    }
    double difference = 0;
    for (std::size_t i = 0; i < result[0].size(); ++i) difference = std::max(difference, std::abs(result[0][i] - result[1][i]));
    const double qr = median(times[0]), dqds = median(times[1]);
    std::printf("%s,%d,%.3f,%.3f,%.3f,%.3f,%.2f,%.2f\n", c.name, c.n, qr, dqds,
                *std::min_element(times[0].begin(), times[0].end()), *std::min_element(times[1].begin(), times[1].end()),
                qr / dqds, difference / (0x1p-52 * result[0][0]));
  }
  std::printf("load average after: %.2f\n", load_average());
  return 0;
}
