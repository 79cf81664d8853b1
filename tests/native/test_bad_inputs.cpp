// The bad-input table (tests/fixtures/bad-inputs.json, the same file the wasm and page tests read)
// through the core API: every case with layer "core" must throw attnrank::Error with the table's code, param and
// message; every "expect": "ok" case must return finite statistics and its expect_values. A request is mapped to the core's
// config through the core's request field tables, as the CLI and the binding map theirs (request_fields.h). Leaves out: layer "binding" cases (JS types, fractions, unknown keys), which
// only the JS boundary can see (tests/node/bad-inputs.test.mjs).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/attention/linear_attention.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/architecture.h"
#include "attnrank/experiments/collapse.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"
#include "attnrank/io/npy.h"
#include "attnrank/io/request_fields.h"
#include "attnrank/random/inputs.h"
#include "attnrank/stats/rank_stats.h"
#include "json_reader.h"

namespace attnrank {
namespace {

using test::JsonValue;

const std::string kFixtures = [] {
  const std::string file = __FILE__;
  return file.substr(0, file.find_last_of('/')) + "/../fixtures/";
}();

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A case the native side cannot express (the table calls it "core" but it needs the JS boundary).
struct NotExpressible : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double number_of(const JsonValue& value) {
  if (value.is_number()) return value.number;
  if (value.is_object() && value.has("$number")) return std::strtod(value.at("$number").text.c_str(), nullptr);
  throw NotExpressible("not a number");
}

std::string string_of(const JsonValue& value) {
  if (!value.is_string()) throw NotExpressible("not a string");
  return value.text;
}

bool bool_of(const JsonValue& value) {
  if (value.type != JsonValue::Type::kBool) throw NotExpressible("not a boolean");
  return value.boolean;
}

// {"$Float64Array": [...]} -> (rows, cols) row-major; entries may be {"$number": "NaN"}.
MatrixXd matrix_of(const JsonValue& value, int rows, int cols) {
  if (!value.is_object() || !value.has("$Float64Array")) throw NotExpressible("not a Float64Array");
  const auto& items = value.at("$Float64Array").items;
  if (items.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols)) {
    throw NotExpressible("array length differs from n*d");
  }
  MatrixXd out(rows, cols);
  for (std::size_t i = 0; i < items.size(); ++i) out.data()[i] = number_of(items[i]);
  return out;
}

Mask mask_of(const JsonValue& value, int n) {
  if (!value.is_object() || !value.has("$Uint8Array")) throw NotExpressible("not a Uint8Array");
  const auto& items = value.at("$Uint8Array").items;
  if (items.size() != static_cast<std::size_t>(n) * static_cast<std::size_t>(n)) throw NotExpressible("mask size");
  Mask out(n, n);
  for (std::size_t i = 0; i < items.size(); ++i) out.data()[i] = static_cast<std::uint8_t>(items[i].number);
  return out;
}

// The request's values through the core's request field tables (request_fields.h), as the CLI and the
// binding read them: an integer must be integral (else only the JS boundary can word it: not expressible).
FieldSource json_source(const JsonValue& r) {
  return [&r](const char* key, const ParameterInfo*, ParamType type) -> std::optional<ParamValue> {
    if (!r.has(key)) return std::nullopt;
    const JsonValue& value = r.at(key);
    ParamValue out;
    switch (type) {
      case ParamType::kInteger: {
        const double number = number_of(value);
        if (!std::isfinite(number) || std::floor(number) != number || std::fabs(number) > 9007199254740991.0) {
          throw NotExpressible(std::string(key) + " is not an integer");
        }
        out.integer = static_cast<long long>(number);
        break;
      }
      case ParamType::kNumber: out.number = number_of(value); break;
      case ParamType::kBoolean: out.boolean = bool_of(value); break;
      default: out.text = string_of(value); break;
    }
    return out;
  };
}

AnalysisConfig analysis_config_of(const JsonValue& r) {
  AnalysisConfig c;
  read_fields(analysis_fields(), kRequestStats, c, json_source(r));
  if (r.has("q") || r.has("k")) {
    if (!r.has("q") || !r.has("k") || !r.has("n") || !r.has("d")) throw NotExpressible("q/k need each other and n, d");
    c.user_q = matrix_of(r.at("q"), c.inputs.n, c.inputs.d);
    c.user_k = matrix_of(r.at("k"), c.inputs.n, c.inputs.d);
  }
  // pattern=custom without custom_mask: an empty mask, refused by the core (masks.cpp).
  if (c.mask.kind == PatternKind::kCustom && r.has("custom_mask")) c.mask.custom = mask_of(r.at("custom_mask"), c.inputs.n);
  finish_analysis_config(c, r.has("prefix"), r.has("window"));
  return c;
}

CollapseConfig collapse_config_of(const JsonValue& r) {
  CollapseConfig c;
  read_fields(collapse_fields(), kRequestCollapse, c, json_source(r));
  finish_collapse_config(c, r.has("prefix"), r.has("window"));
  return c;
}

MixtureConfig mixture_config_of(const JsonValue& r) {
  MixtureConfig c;
  read_fields(mixture_fields(), kRequestMixture, c, json_source(r));
  finish_mixture_config(c, r.has("d"), r.has("d_model"));
  return c;
}

PermutationConfig permutation_config_of(const JsonValue& r) {
  PermutationConfig c;
  read_fields(permutation_fields(), kRequestPermutation, c, json_source(r));
  if (c.mask.kind == PatternKind::kCustom) throw NotExpressible("custom pattern in a permutation test");
  finish_permutation_config(c, r.has("prefix"), r.has("window"));
  return c;
}

void expect_finite(double value, const std::string& where) { EXPECT_TRUE(std::isfinite(value)) << where << "=" << value; }

void expect_finite_stats(const RankStats& s, const std::string& where) {
  EXPECT_TRUE(s.singular_values.allFinite()) << where;
  expect_finite(s.effective_rank, where + ".effective_rank");
  expect_finite(s.stable_rank, where + ".stable_rank");
  expect_finite(s.sigma_max, where + ".sigma_max");
  expect_finite(s.sigma_min, where + ".sigma_min");
  expect_finite(s.condition_number, where + ".condition_number");
  if (s.log_det.sign != 0) expect_finite(s.log_det.log_abs, where + ".log_abs_det");
}

constexpr double kValueTolerance = 1e-9;  // as tests/node/bad-inputs.test.mjs

// expect_values of an ok case: each key must name a field checked here (an unknown key fails).
void expect_values(const JsonValue& entry, const std::map<std::string, double>& actual) {
  if (!entry.has("expect_values")) return;
  for (const auto& [key, expected] : entry.at("expect_values").members) {
    const auto found = actual.find(key);
    if (found == actual.end()) {
      ADD_FAILURE() << "expect_values key " << key << " is not checked natively";
      continue;
    }
    EXPECT_NEAR(found->second, expected.number, kValueTolerance) << key;
  }
}

// Runs the entry's request through the core; for ok cases checks every statistic is finite and the
// expected values.
void run_request(const JsonValue& entry) {
  const JsonValue& request = entry.at("request");
  const std::string method = request.at("method").text;
  if (method == "analyze") {
    const AnalysisResult result = analyze(analysis_config_of(request));
    expect_finite_stats(result.stats, "analyze");
    const RankStats& s = result.stats;
    // -1 stands for null (no f64 count at f32): no fixture expects that number.
    expect_values(entry, {{"numerical_rank_f64", s.numerical_rank_f64.value_or(-1)}, {"sigma_max", s.sigma_max},
                          {"sigma_min", s.sigma_min}, {"effective_rank", s.effective_rank},
                          {"det_sign", s.log_det.sign}, {"log_abs_det", s.log_det.log_abs},
                          {"logits_rank", result.logits_rank}});
  } else if (method == "collapse") {
    const CollapseResult result = run_collapse(collapse_config_of(request));
    for (const LayerMetrics& m : result.per_layer) {
      for (double value : {m.relative_residual, m.composite_residual, m.frobenius_norm, m.path_residual,
                           m.path_distance_to_token0, m.random_path_residual, m.random_path_distance_to_token0}) {
        expect_finite(value, "collapse layer " + std::to_string(m.layer));
      }
    }
    EXPECT_TRUE(result.path_first_column.allFinite());
  } else if (method == "mixture") {
    const MixtureResult result = run_mixture(mixture_config_of(request));
    for (const MixtureHead& head : result.per_head) expect_finite_stats(head.stats, "head");
    expect_finite_stats(result.product, "product");
    expect_finite_stats(result.split_head, "split_head");
    EXPECT_TRUE(result.output.singular_values.allFinite());
  } else if (method == "permutation") {
    const PermutationResult result = run_permutation_test(permutation_config_of(request));
    expect_finite(result.max_deviation, "max_deviation");
    expect_finite(result.relative_deviation, "relative_deviation");
    expect_values(entry, {{"max_deviation", result.max_deviation}});
  } else if (method == "parse_npy") {
    const std::string label = request.at("label").text;
    if (!request.has("file")) {
      const auto& items = request.at("bytes").at("$Uint8Array").items;
      std::string bytes;
      for (const JsonValue& item : items) bytes += static_cast<char>(static_cast<int>(item.number));
      npy_to_matrix(parse_npy(bytes, label), label);
    } else {
      npy_to_matrix(parse_npy(read_text(kFixtures + request.at("file").text), label), label);
    }
  } else {
    throw NotExpressible("method " + method);
  }
}

TEST(BadInputs, EveryCoreCaseOfTheTableGivesItsCodeParamAndMessage) {
  const JsonValue table = test::parse_json(read_text(kFixtures + "bad-inputs.json"));
  ASSERT_TRUE(table.is_array());
  int checked = 0;
  for (const JsonValue& entry : table.items) {
    const std::string name = entry.at("name").text;
    SCOPED_TRACE(name);
    const bool expects_ok = entry.has("expect");
    if (!expects_ok && entry.at("layer").text != "core") continue;
    ++checked;
    try {
      run_request(entry);
      EXPECT_TRUE(expects_ok) << name << ": no error, expected " << entry.at("message").text;
    } catch (const Error& error) {
      if (expects_ok) {
        ADD_FAILURE() << name << ": unexpected error " << error.what();
        continue;
      }
      EXPECT_EQ(error_code_name(error.code()), entry.at("code").text) << error.what();
      // The parameter the page shows the error beside ("" when no single one caused it).
      EXPECT_EQ(error.param(), entry.at("param").text) << error.what();
      const std::string expected = entry.at("message").text;
      if (entry.at("match").text == "exact") {
        EXPECT_EQ(error.what(), expected);
      } else {
        EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
      }
    } catch (const NotExpressible& error) {
      ADD_FAILURE() << name << ": marked layer core but not expressible natively (" << error.what() << ")";
    }
  }
  // The table is the shared source: most of it must reach the core, not only the JS boundary.
  EXPECT_GE(checked, 60);
}

// The shared words (errors.h kWords, exported to the page by messages()) fill each hole once, and the
// common checks carry the parameter they name.
TEST(BadInputs, SharedWordsFillOnceAndChecksCarryTheirParam) {
  EXPECT_EQ(fill_words("out_of_range", {{"param", "n"}, {"value", "{min}"}, {"min", "1"}, {"max", "2"}}),
            "n={min} must be in [1, 2]");
  EXPECT_EQ(fill_words("exceeds_n", {{"param", "prefix"}, {"value", "9"}, {"n", "8"}}), "prefix=9 exceeds n=8");
  try {
    require_in_range("q rows (n)", 0, 1, 4);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.param(), "q");
    EXPECT_STREQ(error.what(), "q rows (n)=0 must be in [1, 4]");
  }
  try {
    require_finite("scale", NAN);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.param(), "scale");
    EXPECT_STREQ(error.what(), "scale=nan must be finite");
  }
  try {
    fail(ErrorCode::kInvalidFile, "q.npy: not a .npy file");
  } catch (const Error& error) {
    EXPECT_EQ(error.param(), "");
  }
}

// Untrusted text in messages (issue 16 items 8 and 10): escapes for what a terminal or a page could act
// on, a bound on the length, UTF-8 text kept.
TEST(BadInputs, EchoedTextIsMadePrintableAndBounded) {
  EXPECT_EQ(printable("plain 文本 ok"), "plain 文本 ok");
  const char controls[] = "a\x1b]0;pwned\x07" "b\0c\n";  // retitles a terminal, rings, cuts at the NUL
  EXPECT_EQ(printable(std::string(controls, sizeof controls - 1)), "a\\x1B]0;pwned\\x07b\\x00c\\x0A");
  EXPECT_EQ(printable("\x7f \xc2\x9b \xe2\x80\xae \xff \xc0\xaf"), "\\x7F \\x9B \\u{202E} \\xFF \\xC0\\xAF");
  const std::string long_text(200000, 'x');
  const std::string cut = printable(long_text);
  EXPECT_EQ(cut, std::string(kEchoLimit, 'x') + "... (200000 bytes in all)");
  EXPECT_EQ(printable(long_text, kPathEchoLimit).size(), kPathEchoLimit + std::string("... (200000 bytes in all)").size());
  // Every {value} hole goes through it: an unknown choice names the text safely and briefly.
  EXPECT_EQ(fill_words("not_finite", {{"param", "scale"}, {"value", "\x1b[2J"}}), "scale=\\x1B[2J must be finite");
  try {
    const char file[] = "\x93NUMPY\x01\x00" "\x3c\x00{'descr': '\x1b[31m', 'fortran_order': False, 'shape': (1,), }\n";
    parse_npy(std::string(file, sizeof file - 1), "evil\x1b.npy");
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()).find('\x1b'), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("evil\\x1B.npy: "), std::string::npos) << error.what();
  }
}

// The param of the error call() throws ("<none>" when it throws no attnrank::Error).
template <typename F>
std::string param_of_error(F&& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.param();
  }
  return "<none>";
}

// Errors the table cannot reach (seeds above 2^32 - 1 from C++, public statistics called directly,
// shapes the binding refuses first) carry the parameter at fault too (issue 14 item 4).
TEST(BadInputs, ErrorsOfEveryPublicEntryCarryTheirParam) {
  const MatrixXd q = MatrixXd::Ones(3, 2), k_wide = MatrixXd::Ones(3, 3);
  EXPECT_EQ(param_of_error([&] { logits_rank(q, k_wide, 1.0); }), "k");
  EXPECT_EQ(param_of_error([&] { logits_rank(MatrixXd(q * NAN), q, 1.0); }), "q");
  EXPECT_EQ(param_of_error([] { energy_rank(VectorXd::Ones(3), 1.5); }), "fraction");
  EXPECT_EQ(param_of_error([] { compute_rank_stats(MatrixXd(MatrixXd::Ones(2, 3))); }), "a");
  EXPECT_EQ(param_of_error([] { compute_rank_stats_of_rank_deficient(VectorXd::Ones(3), 3, Precision::F64); }),
            "rank_bound");
  EXPECT_EQ(param_of_error([] { compute_rank_stats_of_rank_deficient(VectorXd::Ones(3), 1, Precision::F64); }),
            "singular_values");
  EXPECT_EQ(param_of_error([&] { linear_attention(q, q, -1.0, Mask::Ones(3, 3), LinearSpec{}); }), "scale");
  EXPECT_EQ(param_of_error([&] { linear_attention(q, k_wide, 1.0, Mask::Ones(3, 3), LinearSpec{}); }), "k");
  InputSpec inputs;
  inputs.seed = std::uint64_t{1} << 32;
  EXPECT_EQ(param_of_error([&] { validate_input_spec(inputs); }), "seed");
  AnalysisConfig analysis;
  analysis.user_q = q;
  EXPECT_EQ(param_of_error([&] { analyze(analysis); }), "k");
  analysis.user_k = k_wide;
  EXPECT_EQ(param_of_error([&] { analyze(analysis); }), "k");
  PermutationConfig permutation;
  permutation.seed = std::uint64_t{1} << 32;
  EXPECT_EQ(param_of_error([&] { run_permutation_test(permutation); }), "seed");
  permutation.seed = 0;
  permutation.n = 4096;
  permutation.d_model = 8192;
  EXPECT_EQ(param_of_error([&] { run_permutation_test(permutation); }), "n");
  CollapseConfig collapse;
  collapse.pattern = depth_schedule_of(PatternKind::kCustom);
  EXPECT_EQ(param_of_error([&] { run_collapse(collapse); }), "pattern");
  ArchitectureConfig architecture;
  architecture.n_in = kTokensRange.max;
  architecture.n_out = 1;
  EXPECT_EQ(param_of_error([&] { architecture_masks(architecture); }), "n_out");
}

TEST(BadInputs, TheReaderKeepsTheSourceTextOfLargeIntegers) {
  const JsonValue value = test::parse_json(R"({"n": 9007199254740993, "s": "a\"b", "x": [1.5e3, true, null]})");
  EXPECT_EQ(value.at("n").text, "9007199254740993");
  EXPECT_EQ(value.at("s").text, "a\"b");
  EXPECT_EQ(value.at("x").items[0].number, 1500.0);
  EXPECT_THROW(test::parse_json("{\"a\": 1,}"), std::runtime_error);
}

}  // namespace
}  // namespace attnrank
