// The values-only SVD alone, before and after issue 20's reduction, interleaved in one process (a
// benchmark, never a test). "eigen": the previous path, Eigen's blocked bidiagonalisation
// (internal::upperbidiagonalization_inplace_blocked, column-major, after the same power-of-two scaling)
// then the values-only bidiagonal QR; "kernels": singular_values() as shipped, the project's blocked
// reduction on the fixed-order kernels (linalg/bidiagonalization.cpp) then the same QR. For each n and
// precision, repetitions alternate eigen, kernels, eigen, kernels... on the same seeded dense matrix
// (uniform [-1, 1) from an LCG); prints the median and minimum wall time, the median process CPU time
// (user + system: CLOCK_PROCESS_CPUTIME_ID natively, node's process.cpuUsage() in wasm), the median time of
// the reduction alone (wall; timed separately on a copy for "kernels"), the largest difference of
// the two spectra / s_1, and the 1-minute load average (/proc/loadavg: natively, and in wasm under node
// through NODERAWFS). Native: build/<tree>/attnrank_svd_speed [--sizes 256,512,1024,2048] [--repeats 5];
// wasm: node build/wasm/attnrank_svd_speed.js [same options] (built by `bash build-wasm.sh`).
#include <Eigen/SVD>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <time.h>
#include <string>
#include <vector>

#if defined(__EMSCRIPTEN__)
#include <emscripten.h>
#endif

#include "attnrank/base/glossary.h"
#include "lab/kernels.h"
#include "linalg/bidiagonal_svd.h"
#include "linalg/bidiagonalization.h"
#include "linalg/spectrum.h"

#include "bench_lists.h"

namespace {

using attnrank::bench::parse_sizes;

using attnrank::VectorXd;

#if defined(__EMSCRIPTEN__)
// The node process's CPU time (user + system), ms: emscripten's clock() is wall time.
EM_JS(double, process_cpu_ms, (), {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
});
#else
double process_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return 1000.0 * static_cast<double>(now.tv_sec) + 1e-6 * static_cast<double>(now.tv_nsec);
}
#endif

template <typename T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <typename T>
RowMajor<T> seeded_matrix(int n, std::uint64_t seed) {
  RowMajor<T> a(n, n);
  std::uint64_t state = seed;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      a(i, j) = static_cast<T>(static_cast<double>(state >> 11) * 0x1p-52 - 1.0);
    }
  return a;
}

// The previous singular_values (spectrum.cpp before issue 20), kept here only to be timed against.
template <typename T>
VectorXd eigen_path(const RowMajor<T>& a, double* reduction_ms) {
  using ColMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  ColMajor tall(a);
  int exponent = 0;
  std::frexp(tall.cwiseAbs().maxCoeff(), &exponent);
  tall *= std::ldexp(T(1), -exponent);
  const auto start = std::chrono::steady_clock::now();
  const Eigen::Index size = tall.cols();
  typename Eigen::internal::UpperBidiagonalization<ColMajor>::BidiagonalType bidiagonal(size, size);
  Eigen::internal::upperbidiagonalization_inplace_blocked(tall, bidiagonal);
  *reduction_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::vector<T> d(static_cast<std::size_t>(size)), e(static_cast<std::size_t>(size - 1));
  for (Eigen::Index i = 0; i < size; ++i) d[static_cast<std::size_t>(i)] = bidiagonal.diagonal()(i);
  for (Eigen::Index i = 0; i + 1 < size; ++i) e[static_cast<std::size_t>(i)] = bidiagonal.template diagonal<1>()(i);
  attnrank::bidiagonal_singular_values(d, e);
  VectorXd values(size);
  for (Eigen::Index i = 0; i < size; ++i) values(i) = std::ldexp(static_cast<double>(d[static_cast<std::size_t>(i)]), exponent);
  return values;
}

// The reduction alone (wall ms), on a scaled copy as singular_values() makes it.
template <typename T>
double kernel_reduction_ms(const RowMajor<T>& a) {
  RowMajor<T> copy(a);
  int exponent = 0;
  std::frexp(copy.cwiseAbs().maxCoeff(), &exponent);
  copy *= std::ldexp(T(1), -exponent);
  const int n = static_cast<int>(copy.cols());
  std::vector<T> d(static_cast<std::size_t>(n)), e(static_cast<std::size_t>(n - 1));
  const auto start = std::chrono::steady_clock::now();
  attnrank::householder_bidiagonalize(n, n, copy.data(), n, d.data(), e.data());
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
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

struct Samples {
  std::vector<double> wall, cpu, reduction;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

template <typename T>
void run(int n, int repeats, const char* precision) {
  const RowMajor<T> a = seeded_matrix<T>(n, 1000 + static_cast<std::uint64_t>(n));
  Samples eigen, kernels;
  double reduction = 0;
  VectorXd s_eigen = eigen_path(a, &reduction), s_kernels = attnrank::singular_values(a);  // warm-up
  for (int r = 0; r < repeats; ++r)
    for (int variant = 0; variant < 2; ++variant) {
      Samples& samples = variant == 0 ? eigen : kernels;
      const double cpu_start = process_cpu_ms();
      const auto start = std::chrono::steady_clock::now();
      if (variant == 0) {
        s_eigen = eigen_path(a, &reduction);
      } else {
        s_kernels = attnrank::singular_values(a);
      }
      samples.wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      samples.cpu.push_back(process_cpu_ms() - cpu_start);
      samples.reduction.push_back(variant == 0 ? reduction : kernel_reduction_ms(a));
    }
  const double difference = (s_eigen - s_kernels).cwiseAbs().maxCoeff() / s_eigen(0);
  for (int variant = 0; variant < 2; ++variant) {
    const Samples& samples = variant == 0 ? eigen : kernels;
    std::printf("%s,%d,%s,%.2f,%.2f,%.2f,%.2f,%.2e,%.2f,%s\n", precision, n, variant == 0 ? "eigen" : "kernels",
                median(samples.wall), *std::min_element(samples.wall.begin(), samples.wall.end()), median(samples.cpu),
                median(samples.reduction), difference, load_average(), attnrank::lab::kernel_isa());
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes = {256, 512, 1024, 2048};
  int repeats = 5;
  std::string precisions = "f64,f32";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--sizes") sizes = parse_sizes(argv[i + 1]);
    else if (flag == "--repeats") repeats = std::atoi(argv[i + 1]);
    else if (flag == "--precision") precisions = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: attnrank_svd_speed [--sizes 256,512] [--repeats 5] [--precision f64,f32]\n");
      return 2;
    }
  }
  std::printf("precision,n,path,median_ms,min_ms,median_cpu_ms,median_reduction_ms,max_diff_over_s1,load1,kernel_isa\n");
  for (int n : sizes) {
    if (precisions.find("f64") != std::string::npos) run<double>(n, repeats, "f64");
    if (precisions.find("f32") != std::string::npos) run<float>(n, repeats, "f32");
  }
  return 0;
}
