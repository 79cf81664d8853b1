// libFuzzer target for request validation and analysis (analysis.h): bytes -> AnalysisConfig (n, d, scale,
// pattern, prefix, window, kind, feature, features, precision, seed, rope, repeat, custom mask, loaded
// q and k) -> validate() and, when the request is cheap, analyze(). The only allowed failure is
// attnrank::Error in the user's words: a named error whose param is one of the request's parameters (the
// registry's for stats, or q, k, custom_mask) and whose message names it, or a numerical failure or
// too_large. An internal error (a param no user gave, "a: entry (0, 0) = -inf must be finite", or an
// invalid_argument naming no parameter) is a bug (issue 16), as is anything else: a crash, a sanitizer
// report, another exception, or a result with a non-finite statistic, a rank outside [0, n], or a matrix
// that is not row-stochastic.
// Sizes: valid values are drawn small (n <= 24, d <= 12, m <= 48) so one run takes well under a
// millisecond; "wild" values (any 32-bit integer) exercise the range checks and only reach validate()
// unless they happen to be small. Not here: the CLI's text parsing, the .npy reader (fuzz_npy.cpp).
//
// Input layout, read in order; every read past the end yields zero bytes (see make_corpus.py):
//   flags byte: bit 0 want_matrix, bit 1 rope, bit 2 loaded q/k, bit 3 k shape differs from q
//   n, d                      int field        pattern, kind, feature, precision   name field
//   prefix, window, features  int field        scale                               number field
//   seed (byte: < 0xe0 -> next byte, else 8 raw bytes)   repeat period   int field
//   loaded q, k (flag bit 2): rows, cols int fields (k's own after q's values when bit 3), then rows*cols
//     number fields each
//   custom mask (pattern custom): n*n bytes (n = q rows when loaded), entry = byte & 1, or 2 (invalid) for 0xff
// int field: byte < 0xe0 -> lo + next byte % (hi - lo + 1); else 4 raw bytes as a signed 32-bit int.
// name field: byte < 0xf0 -> names[byte % count]; else a string of (next byte % 16) raw bytes.
// number field: byte % 4 == 0 -> a special value (table below), 1 -> 8 raw bytes as a double,
//   2 -> signed byte / 8, 3 -> signed 16-bit int / 256.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "attnrank/attention/linear_attention.h"
#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "attnrank/base/parameter_registry.h"
#include "attnrank/experiments/analysis.h"

namespace {

using namespace attnrank;

constexpr int kCheapTokens = 24;    // n
constexpr int kCheapHeadDim = 12;   // d
constexpr int kCheapFeatures = 48;  // m (favor)

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint64_t raw(int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value |= static_cast<std::uint64_t>(byte()) << (8 * i);
    return value;
  }
  int int_field(int lo, int hi) {
    if (byte() < 0xe0) {
      const long long span = hi < lo ? 1 : static_cast<long long>(hi) - lo + 1;  // hi may be a wild n
      return static_cast<int>(lo + byte() % span);
    }
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(raw(4)));
  }
  std::string name_field(const std::vector<std::string>& names) {
    const std::uint8_t selector = byte();
    if (selector < 0xf0) return names[selector % names.size()];
    std::string text;
    for (int length = byte() % 16; length > 0; --length) text.push_back(static_cast<char>(byte()));
    return text;
  }
  double number_field() {
    static const double kSpecial[] = {0.0,
                                      -0.0,
                                      1.0,
                                      -1.0,
                                      1e-300,
                                      1e300,
                                      -1e300,
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::min(),
                                      std::numeric_limits<double>::max(),
                                      -std::numeric_limits<double>::max(),
                                      std::numeric_limits<float>::max(),
                                      std::numeric_limits<float>::max() * 2.0,
                                      std::numeric_limits<float>::denorm_min(),
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      std::numeric_limits<double>::quiet_NaN(),
                                      709.0,
                                      710.0,
                                      88.0,
                                      89.0,
                                      1e10,
                                      1e-10,
                                      0.5};
    const std::uint8_t mode = byte();
    switch (mode % 4) {
      case 0: return kSpecial[byte() % (sizeof(kSpecial) / sizeof(kSpecial[0]))];
      case 1: {
        const std::uint64_t bits = raw(8);
        double value;
        std::memcpy(&value, &bits, 8);
        return value;
      }
      case 2: return static_cast<std::int8_t>(byte()) / 8.0;
      default: return static_cast<std::int16_t>(static_cast<std::uint16_t>(raw(2))) / 256.0;
    }
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

[[noreturn]] void bug(const std::string& what) {
  std::fprintf(stderr, "fuzz_config: %s\n", what.c_str());
  std::abort();
}

void check_finite(const char* name, double value) {
  if (!std::isfinite(value)) bug(std::string(name) + " is " + std::to_string(value));
}

void check_count(const char* name, int value, int lo, int hi) {
  if (value < lo || value > hi) {
    bug(std::string(name) + "=" + std::to_string(value) + " outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
}

void check_result(const AnalysisConfig& config, const AnalysisResult& result) {
  const int n = result.n;
  const RankStats& stats = result.stats;
  check_count("result.n", n, 1, kCheapTokens);
  check_count("stats.n", stats.n, n, n);
  if (stats.singular_values.size() != n) bug("singular_values has the wrong length");
  for (int i = 0; i < n; ++i) {
    check_finite("a singular value", stats.singular_values[i]);
    if (stats.singular_values[i] < 0) bug("negative singular value");
    if (i > 0 && stats.singular_values[i] > stats.singular_values[i - 1]) bug("singular values not descending");
  }
  // An f64 count exactly when the pipeline ran in f64 (none from an f32 spectrum).
  if (stats.numerical_rank_f64.has_value() != (config.precision == Precision::F64)) bug("numerical_rank_f64 presence");
  if (stats.numerical_rank_f64) check_count("numerical_rank_f64", *stats.numerical_rank_f64, 0, n);
  check_count("numerical_rank_f32", stats.numerical_rank_f32, 0, n);
  check_count("energy_rank_99", stats.energy_rank_99, 0, n);
  check_count("logits_rank", result.logits_rank, 0, std::min(n, result.d));
  check_finite("effective_rank", stats.effective_rank);
  check_finite("stable_rank", stats.stable_rank);
  check_finite("sigma_max", stats.sigma_max);
  check_finite("sigma_min", stats.sigma_min);
  check_finite("accuracy_floor", stats.accuracy_floor);
  if (stats.sigma_min_is_upper_bound != (stats.singular_values[n - 1] <= stats.accuracy_floor)) bug("sigma_min flag");
  check_finite("condition_number", stats.condition_number);
  if (stats.log_det.sign != 0) check_finite("log_abs_det", stats.log_det.log_abs);
  if (stats.log_det.sign < -1 || stats.log_det.sign > 1) bug("det sign outside {-1, 0, 1}");
  if (config.want_matrix) {
    if (!result.matrix || !result.mask) bug("want_matrix but no matrix or mask");
    const MatrixXd& a = *result.matrix;
    if (a.rows() != n || a.cols() != n) bug("matrix has the wrong shape");
    const double tolerance = config.precision == Precision::F32 ? 1e-4 : 1e-9;
    for (int i = 0; i < n; ++i) {
      double sum = 0;
      for (int j = 0; j < n; ++j) {
        check_finite("a matrix entry", a(i, j));
        if (a(i, j) < 0 || a(i, j) > 1 + tolerance) bug("matrix entry outside [0, 1]");
        if ((*result.mask)(i, j) == 0 && a(i, j) != 0) bug("masked entry is not 0");
        sum += a(i, j);
      }
      if (std::abs(sum - 1) > tolerance) bug("row " + std::to_string(i) + " sums to " + std::to_string(sum));
    }
  }
}

MatrixXd read_matrix(Reader& in, int rows, int cols) {
  MatrixXd m(rows, cols);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) m(i, j) = in.number_field();
  }
  return m;
}

// An error in the user's words (see the header comment); anything else aborts with the error.
void check_error(const Error& error) {
  if (error.code() == ErrorCode::kNumericalFailure || error.code() == ErrorCode::kTooLarge) return;
  const std::string& param = error.param();
  const std::string what = error.what();
  std::vector<std::string> known = parameters_of(kRequestStats);
  known.insert(known.end(), {"q", "k", "custom_mask"});
  bool is_known = false;
  for (const std::string& name : known) is_known = is_known || name == param;
  std::string spaced = param;  // "custom mask row 1 allows no key" names custom_mask in words
  for (char& c : spaced) c = c == '_' ? ' ' : c;
  if (!is_known || (what.find(param) == std::string::npos && what.find(spaced) == std::string::npos)) {
    bug(std::string("internal error (") + error_code_name(error.code()) + ", param \"" + param + "\"): " + what);
  }
}

bool is_cheap(const AnalysisConfig& config) {
  const int n = config.user_q ? static_cast<int>(config.user_q->rows()) : config.inputs.n;
  const int d = config.user_q ? static_cast<int>(config.user_q->cols()) : config.inputs.d;
  return n <= kCheapTokens && d <= kCheapHeadDim && config.linear.features <= kCheapFeatures;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in(data, size);
  const std::uint8_t flags = in.byte();
  try {
    AnalysisConfig config;
    config.want_matrix = (flags & 1) != 0;
    config.inputs.rope = (flags & 2) != 0;
    config.inputs.n = in.int_field(1, kCheapTokens);
    config.inputs.d = in.int_field(1, kCheapHeadDim);
    const int n = config.inputs.n;
    config.mask.kind = parse_pattern(in.name_field(pattern_names()));
    config.kind = parse_attention_kind(in.name_field({"softmax", "linear"}));
    config.linear.feature = parse_feature_map(in.name_field(feature_map_names()));
    config.precision = parse_precision(in.name_field({"f64", "f32"}));
    config.mask.prefix = in.int_field(0, n);
    config.mask.window = in.int_field(1, n);
    config.linear.features = in.int_field(1, kCheapFeatures);
    config.scale = in.number_field();
    config.inputs.seed = in.byte() < 0xe0 ? in.byte() : in.raw(8);
    config.linear.seed = config.inputs.seed;
    config.inputs.repeat_period = in.int_field(0, n);
    if (flags & 4) {
      const int rows = in.int_field(1, kCheapTokens);
      const int cols = in.int_field(1, kCheapHeadDim);
      if (rows >= 1 && rows <= kCheapTokens && cols >= 1 && cols <= kCheapHeadDim) {
        config.user_q = read_matrix(in, rows, cols);
        const int k_rows = (flags & 8) ? in.int_field(1, kCheapTokens) : rows;
        const int k_cols = (flags & 8) ? in.int_field(1, kCheapHeadDim) : cols;
        if (k_rows >= 1 && k_rows <= kCheapTokens && k_cols >= 1 && k_cols <= kCheapHeadDim) {
          config.user_k = read_matrix(in, k_rows, k_cols);
        }
      }
    }

    // The custom mask follows the request's n: the loaded q rows when q is given.
    const int tokens = config.user_q ? static_cast<int>(config.user_q->rows()) : n;
    if (config.mask.kind == PatternKind::kCustom && tokens >= 1 && tokens <= kCheapTokens) {
      config.mask.custom = Mask(tokens, tokens);
      for (int i = 0; i < tokens; ++i) {
        for (int j = 0; j < tokens; ++j) {
          const std::uint8_t b = in.byte();
          config.mask.custom(i, j) = b == 0xff ? 2 : (b & 1);
        }
      }
    }
    validate(config);
    if (!is_cheap(config)) return 0;
    const AnalysisResult result = analyze(config);
    check_result(config, result);
  } catch (const Error& error) {
    // The one allowed failure: a named error in the user's words (the exact messages are checked by the
    // table-driven unit tests).
    check_error(error);
  }
  return 0;
}
