// Native timing of one full `stats` request (seeded inputs + attention + spectrum + statistics) per
// pattern and n, medians of repetitions after a warm-up. A benchmark, not a test: it never fails CI.
// Usage: attnrank_bench [--sizes 128,256,...] [--d 64] [--repeats 5] [--precision f64|f32]
//        [--patterns bidirectional,forward,...] [--kind softmax|linear] [--feature elu1|...] [--features m];
// prints CSV.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "attnrank/experiments/analysis.h"

#include "bench_lists.h"

namespace {

using attnrank::bench::parse_sizes;
using attnrank::bench::split_commas;

double median_ms(const attnrank::AnalysisConfig& config, int repeats) {
  attnrank::analyze(config);  // warm-up: page faults, allocator
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    attnrank::analyze(config);
    const auto stop = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes{128, 256, 512, 1024};
  int d = 64;
  int repeats = 5;
  std::string precision = "f64";
  std::vector<std::string> patterns{"bidirectional", "prefix", "forward", "backward"};
  std::string kind = "softmax";
  std::string feature = "elu1";
  int features = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--sizes") sizes = parse_sizes(value);
    else if (name == "--d") d = std::atoi(value.c_str());
    else if (name == "--repeats") repeats = std::max(1, std::atoi(value.c_str()));
    else if (name == "--precision") precision = value;
    else if (name == "--patterns") patterns = split_commas(value);
    else if (name == "--kind") kind = value;
    else if (name == "--feature") feature = value;
    else if (name == "--features") features = std::atoi(value.c_str());
    else {
      std::cerr << "unknown option " << name << "\n";
      return 2;
    }
  }
  std::cout << "n,d,precision,kind,feature,features,pattern,median_ms\n";
  for (const int n : sizes) {
    for (const std::string& pattern : patterns) {
      attnrank::AnalysisConfig config;
      config.kind = attnrank::parse_attention_kind(kind);
      config.linear.feature = attnrank::parse_feature_map(feature);
      config.linear.features = features;
      config.mask.kind = attnrank::parse_pattern(pattern);
      config.mask.prefix = attnrank::default_prefix(n);
      config.inputs.n = n;
      config.inputs.d = d;
      config.inputs.seed = 7;
      config.precision = attnrank::parse_precision(precision);
      const int scaled_repeats = n >= 1024 ? std::max(1, repeats / 2) : repeats;
      std::cout << n << "," << d << "," << precision << "," << kind << "," << feature << "," << features << ","
                << pattern << "," << median_ms(config, scaled_repeats)
                << std::endl;
    }
  }
  return 0;
}
