// The parameter registry's table (see parameter_registry.h). Ranges are the ParamRange constants of
// param_ranges.h and memory_estimate.h (never re-typed); the page's keys come in the order of its URL
// (serializeState writes them in this order, so the page's URLs do not change). The defaults match the
// config structs' initialisers (analysis.h, collapse.h, mixture.h, architecture.h, permutation.h:
// tests/native/test_parameter_registry.cpp checks them).
#include "attnrank/base/parameter_registry.h"

#include <stdexcept>

#include "attnrank/base/memory_estimate.h"
#include "attnrank/base/pattern_registry.h"

namespace attnrank {
namespace {

using T = ParamType;
constexpr unsigned kStats = kRequestStats;
constexpr unsigned kSweep = kRequestSweep;
constexpr unsigned kClaims = kRequestClaims;
constexpr unsigned kCollapse = kRequestCollapse;
constexpr unsigned kMixture = kRequestMixture;
constexpr unsigned kArch = kRequestArch;
constexpr unsigned kPermutation = kRequestPermutation;
constexpr unsigned kPage = kRequestPage;
constexpr unsigned kTrain = kRequestTrain;
constexpr unsigned kAnalysis = kStats | kSweep | kClaims;  // one analyze() config (options.cpp)
constexpr unsigned kComputing = kAnalysis | kCollapse | kMixture | kPermutation;

// The numeric statistics of docs/result-schema.md a sweep can plot.
constexpr const char* kSweepStats =
    "numerical_rank_f64,numerical_rank_f32,effective_rank,stable_rank,energy_rank_99,sigma_max,sigma_min,"
    "condition_number,log_abs_det,logits_rank";
constexpr const char* kDepthVariants =
    "pure,skip,mlp,layernorm,skip+mlp,skip+layernorm,mlp+layernorm,skip+mlp+layernorm";
// The lab's tasks (lab/tasks.cpp's parse_task words an unknown one; tested equal).
constexpr const char* kTrainTasks = "order,mlm,prefix,mqar,lm-vs-mlm,copy,reverse";
constexpr const char* kDepthMetrics = "relative_residual,composite_residual,path_residual,random_path_residual";

// name, type, range, choices, default, per-request defaults, CLI flag, URL key, attribute, requests, words,
// note (a derived default, as the usage text words it).
const std::vector<ParameterInfo> kParameters = {
    {"pattern", T::kChoice, nullptr, "", "bidirectional", {}, "pattern", "", "", kStats | kClaims, "", ""},
    {"patterns", T::kList, nullptr, "", "", {}, "patterns", "", "pattern", kSweep | kCollapse | kPermutation | kPage,
     "", "sweep: the essay's four; collapse: every pattern and schedule; permutation: every pattern"},
    {"n", T::kInteger, &kTokensRange, "", "64", {}, "n", "n", "n", kComputing | kPage | kTrain, "control.n", "",
     {{kTrain, &kTrainTokensRange}}},
    // mixture: the width of each head (d_model = heads * d when given; not given: d_model / heads).
    {"d", T::kInteger, &kHeadDimRange, "", "8", {{kMixture, ""}}, "d", "d", "d", kAnalysis | kMixture | kPage,
     "control.d", "mixture: d_model / heads"},
    {"scale", T::kNumber, nullptr, "", "1", {}, "scale", "scale", "scale", kComputing | kPage, "control.scale", ""},
    {"seed", T::kInteger, &kSeedRange, "", "0", {{kPage, "7"}, {kTrain, "1"}}, "seed", "seed", "seed",
     kComputing | kPage | kTrain, "control.seed", "", {{kTrain, &kTrainSeedRange}}},
    {"prefix", T::kInteger, nullptr, "", "", {}, "prefix", "prefix", "prefix",
     kAnalysis | kCollapse | kPermutation | kPage | kTrain, "control.prefix", "n/2 (train: the task's)"},
    {"window", T::kInteger, nullptr, "", "", {{kPage, "4"}}, "window", "window", "window",
     kAnalysis | kCollapse | kPermutation | kPage | kTrain, "control.window", "min(4, n)"},
    {"precision", T::kChoice, nullptr, "f64,f32", "f64", {}, "precision", "precision", "precision", kAnalysis | kPage,
     "control.precision", ""},
    {"rope", T::kBoolean, nullptr, "", "false", {}, "rope", "rope", "rope", kAnalysis | kPage, "control.rope", ""},
    {"repeat", T::kInteger, &kRepeatRange, "", "0", {}, "repeat", "repeat", "repeat", kAnalysis | kPage,
     "control.repeat", ""},
    {"kind", T::kChoice, nullptr, "softmax,linear", "softmax", {}, "kind", "kind", "attention", kAnalysis | kPage,
     "control.kind", ""},
    {"feature", T::kChoice, nullptr, "elu1,relu,exp,favor", "elu1", {}, "feature", "feature", "feature",
     kAnalysis | kPage, "control.feature", ""},
    {"features", T::kInteger, &kFeaturesRange, "", "64", {}, "features", "features", "features", kAnalysis | kPage,
     "control.features", ""},
    // The heatmaps' colour: auto is log colour from 1/n^2 to 1 (linear over [0, 1] turns dark: softmax rows of
    // n entries average 1/n, which auto puts mid-table; web/render/colormap.mjs attentionColourScale).
    {"colour", T::kChoice, nullptr, "auto,linear,sqrt,log", "auto", {}, "", "colour", "colour", kPage, "control.colour",
     ""},
    // shared: every pattern panel colours by [0, 1], so equal weights get equal colours; panel: each its own.
    {"colour_range", T::kChoice, nullptr, "shared,panel", "shared", {}, "", "colour_range", "colour-range", kPage,
     "control.colour_range", ""},
    {"windows", T::kBoolean, nullptr, "", "false", {}, "", "windows", "windows", kPage, "control.windows", ""},
    {"lang", T::kChoice, nullptr, "en,zh", "en", {{kPage, ""}}, "lang", "lang", "lang", kClaims | kPage,
     "control.lang", ""},  // page: "" = the browser's language
    {"sweep_over", T::kChoice, nullptr, "scale,n,d", "", {{kPage, "scale"}}, "over", "sweep_over", "sweep-over",
     kSweep | kPage, "sweep.over", ""},
    {"sweep_values", T::kList, nullptr, "", "", {{kPage, "0.25,0.5,1,2,4"}}, "values", "sweep_values",
     "sweep-values", kSweep | kPage, "sweep.values", ""},
    {"sweep_stat", T::kChoice, nullptr, kSweepStats, "effective_rank", {}, "", "sweep_stat", "sweep-stat", kPage,
     "sweep.stat", ""},
    {"layers", T::kInteger, &kLayersRange, "", "12", {{kArch, "6"}, {kPage, "128"}, {kTrain, "2"}}, "layers",
     "layers", "layers", kCollapse | kArch | kPage | kTrain, "control.layers", "", {{kTrain, &kTrainLayersRange}}},
    {"variant", T::kChoice, nullptr, kDepthVariants, "pure", {}, "", "depth_variant", "depth-variant",
     kCollapse | kPage, "control.depth_variant", ""},
    {"depth_metric", T::kChoice, nullptr, kDepthMetrics, "relative_residual", {}, "", "depth_metric",
     "depth-metric", kPage, "control.depth_metric", ""},
    {"heads", T::kInteger, &kHeadsRange, "", "4", {{kArch, "8"}}, "heads", "heads", "heads",
     kMixture | kArch | kPage | kTrain, "control.heads", ""},
    {"variants", T::kList, nullptr, "", "pure,skip,mlp,layernorm,skip+mlp+layernorm", {}, "variants", "", "",
     kCollapse, "", ""},
    {"d_model", T::kInteger, &kModelDimRange, "", "8", {{kMixture, "64"}, {kArch, "512"}}, "d-model", "", "",
     kCollapse | kMixture | kArch | kPermutation, "", ""},
    {"d_k", T::kInteger, &kKeyDimRange, "", "", {}, "d-k", "", "", kCollapse, "", "d_model"},
    {"d_ff", T::kInteger, &kFfnDimRange, "", "", {{kArch, "2048"}}, "d-ff", "", "", kCollapse | kArch, "",
     "collapse: 4 d_model"},
    {"vocab", T::kInteger, &kVocabRange, "", "32000", {}, "vocab", "", "", kArch, "", ""},
    {"n_in", T::kInteger, &kInputTokensRange, "", "512", {}, "n-in", "", "", kArch, "", ""},
    {"n_out", T::kInteger, &kOutputTokensRange, "", "128", {}, "n-out", "", "", kArch, "", ""},
    {"q", T::kText, nullptr, "", "", {}, "q", "", "", kAnalysis, "", ""},
    {"k", T::kText, nullptr, "", "", {}, "k", "", "", kAnalysis, "", ""},
    {"dump_matrix", T::kText, nullptr, "", "", {}, "dump-matrix", "", "", kStats, "", ""},
    {"memory_budget_mib", T::kInteger, &kMemoryBudgetRange, "", "1024", {}, "memory-limit", "", "",
     kComputing | kTrain, "", ""},
    {"json", T::kBoolean, nullptr, "", "false", {}, "json", "", "", kComputing | kArch | kTrain, "", ""},
    {"csv", T::kBoolean, nullptr, "", "false", {}, "csv", "", "", kSweep | kCollapse | kArch, "", ""},
    // The training lab (`attnrank train`, wasm lab_start; design-lab.md sections 1-4). Defaults are those of
    // lab::TaskConfig, AdamWConfig and RunConfig (tested); the numbers' ranges are run_request.cpp's check.
    // Besides these: n, heads, layers, prefix, window, seed and memory_budget_mib above.
    {"task", T::kChoice, nullptr, kTrainTasks, "mlm", {}, "task", "", "", kTrain, "", ""},
    {"width", T::kInteger, &kTrainWidthRange, "", "64", {}, "width", "", "", kTrain, "", ""},
    {"positions", T::kChoice, nullptr, "learned,none", "", {}, "positions", "", "", kTrain, "",
     "none for order, else learned"},
    {"symbols", T::kInteger, &kTrainSymbolsRange, "", "16", {}, "symbols", "", "", kTrain, "", ""},
    {"max_length", T::kInteger, &kTrainMaxLengthRange, "", "", {}, "max-length", "", "", kTrain, "",
     "min(48, (n - 1) / 2)"},
    {"min_length", T::kInteger, &kTrainMinLengthRange, "", "", {}, "min-length", "", "", kTrain, "",
     "min(8, max_length)"},
    {"pairs", T::kInteger, &kTrainPairsRange, "", "8", {}, "pairs", "", "", kTrain, "", ""},
    {"keys", T::kInteger, &kTrainKeysRange, "", "64", {}, "keys", "", "", kTrain, "", ""},
    {"values", T::kInteger, &kTrainValuesRange, "", "64", {}, "values", "", "", kTrain, "", ""},
    {"steps", T::kInteger, &kTrainStepsRange, "", "1500", {}, "steps", "", "", kTrain, "", ""},
    {"batch", T::kInteger, &kTrainBatchRange, "", "16", {}, "batch", "", "", kTrain, "", ""},
    {"checkpoint_every", T::kInteger, &kTrainCheckpointRange, "", "100", {}, "checkpoint-every", "", "", kTrain, "",
     ""},
    {"heldout_batches", T::kInteger, &kTrainHeldOutRange, "", "4", {}, "heldout-batches", "", "", kTrain, "", ""},
    {"run", T::kInteger, &kTrainRunRange, "", "0", {}, "run", "", "", kTrain, "", ""},
    {"learning_rate", T::kNumber, nullptr, "", "0.001", {}, "learning-rate", "", "", kTrain, "", ""},
    {"warmup_fraction", T::kNumber, nullptr, "", "0.05", {}, "warmup-fraction", "", "", kTrain, "", ""},
    {"final_fraction", T::kNumber, nullptr, "", "0.1", {}, "final-fraction", "", "", kTrain, "", ""},
    {"weight_decay", T::kNumber, nullptr, "", "0.1", {}, "weight-decay", "", "", kTrain, "", ""},
    {"clip_norm", T::kNumber, nullptr, "", "1", {}, "clip-norm", "", "", kTrain, "", ""},
    {"masks", T::kText, nullptr, "", "", {}, "masks", "", "", kTrain, "", "the task's first configuration"},
    {"attention", T::kText, nullptr, "", "softmax", {}, "attention", "", "", kTrain, "", ""},
    // The CLI's own: grids, files, output.
    {"configs", T::kList, nullptr, "", "", {}, "configs", "", "", kTrain, "", "--masks/--attention; task: the task's"},
    {"seeds", T::kList, nullptr, "", "", {}, "seeds", "", "", kTrain, "", "--seed"},
    {"stop_after", T::kInteger, nullptr, "", "0", {}, "stop-after", "", "", kTrain, "", ""},  // in [0, steps]
    {"format", T::kChoice, nullptr, "jsonl,csv", "jsonl", {}, "format", "", "", kTrain, "", ""},
    {"out", T::kText, nullptr, "", "", {}, "out", "", "", kTrain, "", "stdout"},
    {"save", T::kText, nullptr, "", "", {}, "save", "", "", kTrain, "", ""},
    {"load", T::kText, nullptr, "", "", {}, "load", "", "", kTrain, "", ""},
    {"dump_dir", T::kText, nullptr, "", "", {}, "dump-dir", "", "", kTrain, "", ""},
    {"corpus", T::kText, nullptr, "", "", {}, "corpus", "", "", kTrain, "", "ATTNRANK_CORPUS, else the build's"},
    {"quiet", T::kBoolean, nullptr, "", "false", {}, "quiet", "", "", kTrain, "", ""},
    {"list_configs", T::kBoolean, nullptr, "", "false", {}, "list-configs", "", "", kTrain, "", ""},
    // The probe's attention at every checkpoint, 8-bit (lab/probe_attention.h), one JSONL line each.
    {"attention_out", T::kText, nullptr, "", "", {}, "attention-out", "", "", kTrain, "", ""},
    // The experiments table (lab/experiments.h) and the verdicts of records (lab/verdicts.h): no training.
    {"list_experiments", T::kBoolean, nullptr, "", "false", {}, "list-experiments", "", "", kTrain, "", ""},
    {"verdicts", T::kList, nullptr, "", "", {}, "verdicts", "", "", kTrain, "", ""},
    {"at_step", T::kInteger, nullptr, "", "", {}, "at-step", "", "", kTrain, "", "each run's last"},
};

}  // namespace

const std::vector<ParameterInfo>& parameter_registry() { return kParameters; }

const ParameterInfo& parameter_info(const std::string& name) {
  for (const ParameterInfo& info : kParameters)
    if (name == info.name) return info;
  throw std::logic_error("parameter_info: no parameter " + name);
}

const ParameterInfo* parameter_by_flag(const std::string& flag) {
  for (const ParameterInfo& info : kParameters)
    if (*info.cli_flag != '\0' && flag == info.cli_flag) return &info;
  return nullptr;
}

const char* param_type_name(ParamType type) {
  switch (type) {
    case ParamType::kInteger: return "integer";
    case ParamType::kNumber: return "number";
    case ParamType::kChoice: return "choice";
    case ParamType::kBoolean: return "boolean";
    case ParamType::kText: return "text";
    case ParamType::kList: return "list";
  }
  return "unknown";
}

const char* request_name(RequestKind request) {
  switch (request) {
    case kRequestStats: return "stats";
    case kRequestSweep: return "sweep";
    case kRequestClaims: return "claims";
    case kRequestCollapse: return "collapse";
    case kRequestMixture: return "mixture";
    case kRequestArch: return "arch";
    case kRequestPermutation: return "permutation";
    case kRequestPage: return "page";
    case kRequestTrain: return "train";
  }
  return "unknown";
}

std::string parameter_default(const ParameterInfo& info, RequestKind request) {
  for (const RequestDefault& entry : info.defaults)
    if ((entry.requests & request) != 0) return entry.value;
  return info.default_value;
}

const ParamRange* parameter_range(const ParameterInfo& info, RequestKind request) {
  for (const RequestRange& entry : info.ranges)
    if ((entry.requests & request) != 0) return entry.range;
  return info.range;
}

std::vector<std::string> parameter_choices(const ParameterInfo& info) {
  if (info.type != ParamType::kChoice) return {};
  if (std::string(info.name) == "pattern") return pattern_names();
  std::vector<std::string> out;
  std::string item;
  for (const char* c = info.choices;; ++c) {
    if (*c == ',' || *c == '\0') {
      out.push_back(item);
      item.clear();
      if (*c == '\0') break;
    } else {
      item += *c;
    }
  }
  return out;
}

std::vector<std::string> parameters_of(RequestKind request) {
  std::vector<std::string> out;
  for (const ParameterInfo& info : kParameters)
    if ((info.requests & request) != 0) out.emplace_back(info.name);
  return out;
}

std::vector<std::string> boolean_flags() {
  std::vector<std::string> out;
  for (const ParameterInfo& info : kParameters)
    if (info.type == ParamType::kBoolean && *info.cli_flag != '\0') out.emplace_back(info.cli_flag);
  return out;
}

}  // namespace attnrank
