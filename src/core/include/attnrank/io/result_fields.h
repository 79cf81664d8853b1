// The keys and values of every result, defined once: per request (analysis, mixture, collapse,
// architectures, permutation, claims, the pattern registry) one table of fields, each with its key, type,
// one-line meaning and the value it reads from the core's result. The *_result functions walk the tables
// into small trees that the CLI's JSON, CSV and table writers and the wasm binding format, so `attnrank
// <command> --json` and the module's result for the same request have the same keys and values;
// result_schemas() walks the same tables into their description, from which `attnrank schema` writes
// docs/result-schema.md and the page's CSV takes its columns. The rows say which keys only the wasm module
// returns (the matrices and masks a config asks for), which value is only a bound when its flag says so,
// and what a null reads as in a table. Not here: any formatting (digits, JSON text, typed arrays).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "attnrank/claims/claims.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/architecture.h"
#include "attnrank/experiments/collapse.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"

namespace attnrank {

// Who a result tree is for: the CLI's outputs (JSON, CSV, tables) hold the keys both runtimes return; the
// wasm module's results add the wasm-only keys (the matrices and masks a config asks for).
enum class ResultTarget { kCli, kWasm };

struct ResultValue {
  // kNumbers is a Float64Array in wasm and a JSON array in the CLI; kIntegers an Int32Array / array.
  // kNumbersView and kBytesView (the wasm-only matrices and masks) are a Float64Array and a Uint8Array in
  // wasm: views of the source's data, not copies, so such a tree is used before its source goes.
  enum class Type { kNull, kInteger, kNumber, kBoolean, kText, kNumbers, kIntegers, kObject, kList, kNumbersView, kBytesView };
  Type type = Type::kNull;
  long long integer = 0;
  double number = 0.0;
  bool boolean = false;
  std::string text;
  std::vector<double> numbers;
  std::vector<int> integers;
  std::vector<std::pair<std::string, ResultValue>> members;  // kObject, in schema order
  std::vector<ResultValue> items;                            // kList
  const double* numbers_view = nullptr;                      // kNumbersView: view_size values
  const std::uint8_t* bytes_view = nullptr;                  // kBytesView: view_size bytes
  std::size_t view_size = 0;

  static ResultValue null();
  static ResultValue integer_value(long long value);
  static ResultValue number_value(double value);
  static ResultValue boolean_value(bool value);
  static ResultValue text_value(const std::string& value);
  static ResultValue numbers_value(std::vector<double> values);
  static ResultValue integers_value(std::vector<int> values);
  static ResultValue numbers_view_of(const double* data, std::size_t size);
  static ResultValue bytes_view_of(const std::uint8_t* data, std::size_t size);
  static ResultValue object();
  static ResultValue list();

  // kObject: append a member (keys are unique; checked). kList: append an item.
  ResultValue& add(const std::string& key, ResultValue value);
  ResultValue& push(ResultValue value);
  // kObject: the member named key, or nullptr.
  const ResultValue* find(const std::string& key) const;
};

// One key of a result as docs/result-schema.md lists it. type: "int", "number", "bool", "string",
// "number[]", "int[]", "string[]", "uint8[]", "number[][]", "object", "object[]" or "int, number, bool or
// string", with " or null" when the value may be null; meaning: one line, saying when the key is absent;
// fields: the members of an object, or of each object of a list (empty for a `stats` object: the rank
// statistics of the analysis); wasm_only: only the wasm module returns it (ResultTarget::kWasm); bound:
// "upper" or "lower" when the value is only that bound while the bool `<key>_is_<bound>_bound` beside it
// is true (a table shows "<= x" or ">= x"), else empty; null_text: what a null value reads as in a table
// (empty: an empty cell).
struct ResultField {
  std::string key;
  std::string type;
  std::string meaning;
  std::vector<ResultField> fields;
  bool wasm_only = false;
  std::string bound;
  std::string null_text;
};

// One result: name ("analysis", the *_result function's), where it is returned (the CLI command, the wasm
// call), its fields in order, and notes (paragraphs of the doc, each one line).
struct ResultSchema {
  std::string name;
  std::string cli;
  std::string wasm;
  std::vector<ResultField> fields;
  std::vector<std::string> notes;
};

// Every result's description, in the order of docs/result-schema.md (the same tables as the trees).
const std::vector<ResultSchema>& result_schemas();
// The one named `name` ("analysis", ...); std::logic_error for an unknown name.
const ResultSchema& result_schema(const std::string& name);
// The field `key` of `fields`, or nullptr.
const ResultField* find_field(const std::vector<ResultField>& fields, const std::string& key);
// The top-level keys of a schema whose values are scalars (not arrays or objects), in order: the columns of
// a CSV with one row per result (`attnrank sweep --csv`, the page's statistics CSV).
std::vector<std::string> scalar_keys(const ResultSchema& schema);
// result_schemas() as a tree (wasm result_fields(), `attnrank schema --json`): {results: [{name, cli, wasm,
// fields: [{key, type, meaning, fields}], notes}]}.
ResultValue result_schemas_result();

// Each request's result tree, keys and order as in its table (docs/result-schema.md lists them).
// The statistics of one n x n matrix (rank_stats.h); a `stats` object of mixture().
ResultValue rank_stats_result(const RankStats& stats);
// analyze(): the configuration, the rank statistics, logits_rank; for kWasm also `matrix` and `mask` when
// the result holds them (want_matrix).
ResultValue analysis_result(const AnalysisConfig& config, const AnalysisResult& result,
                            ResultTarget target = ResultTarget::kCli);
// `attnrank sweep --json`: the axis, its values as given, and per (value, pattern) row analysis_result.
ResultValue sweep_result(const std::string& over, const std::vector<std::string>& values,
                         const std::vector<std::pair<AnalysisConfig, AnalysisResult>>& rows);
// run_mixture(): the sizes, per head, the concatenated output, the two-layer product, the split head; for
// kWasm with want_matrices also the matrices.
ResultValue mixture_result(const MixtureConfig& config, const MixtureResult& result,
                           ResultTarget target = ResultTarget::kCli);
// run_collapse() of one (pattern, variant): the configuration and one array per metric (L + 1 each).
ResultValue collapse_result(const CollapseConfig& config, const CollapseResult& result);
// `attnrank collapse --csv`: one row object per layer l = 0..L (pattern, variant, layer, its metrics).
ResultValue collapse_layers_result(const CollapseConfig& config, const CollapseResult& result);
// `attnrank collapse --json`: the configuration shared by the runs (base's scale and seed, the first run's
// sizes) once, then `runs`, a list of collapse_result trees.
ResultValue collapse_runs_result(const CollapseConfig& base, const CollapseResult& first, const ResultValue& runs);
// architecture_costs(): the configuration and one entry per architecture; for kWasm with masks (not
// nullptr) also `masks` (architecture_masks()).
ResultValue architectures_result(const ArchitectureConfig& config, const std::vector<ArchitectureCost>& costs,
                                 ResultTarget target = ResultTarget::kCli, const ArchitectureMasks* masks = nullptr);
// run_permutation_test(): the configuration, the permutation and the deviations.
ResultValue permutation_result(const PermutationConfig& config, const PermutationResult& result);
// `attnrank permutation --json`: base's configuration once, then per pattern permutation_result.
ResultValue permutation_runs_result(const PermutationConfig& base,
                                    const std::vector<std::pair<PermutationConfig, PermutationResult>>& runs);
// One catalogue entry (no verdict), and evaluate_claims(): {claims: [entry + verdict]}.
ResultValue claim_entry_result(const ClaimEntry& entry);
ResultValue claims_result(const std::vector<ClaimResult>& results);
// claim_catalogue(): {claims: [entry]}, the entries without verdicts.
ResultValue claim_catalogue_result();
// The pattern registry (pattern_registry.h) for the page: the patterns and the depth schedules, each in
// display order.
ResultValue pattern_registry_result();

// One checkpoint of a training-lab run as `attnrank train` writes it (a JSONL line; its CSV rows) and the
// wasm lab_checkpoints() returns it. lab/run_output.cpp fills it from the trainer (the lab sits above this
// layer); the keys are this table's.
struct LabHeadRecord {
  int layer = 0;
  int head = 0;
  std::string pattern;    // the head's mask
  std::string attention;  // softmax or linear
  const RankStats* stats = nullptr;  // of the head's attention on the probe sequence (not copied)
};
struct LabCheckpointRecord {
  std::string task;
  std::string config;     // the grid entry, "masks:attention"
  std::string masks;
  std::string attention;
  std::string objective;
  long long seed = 0;
  long long run = 0;
  long long steps = 0;
  long long batch = 0;
  long long step = 0;
  std::optional<double> learning_rate;  // of the step just taken: none at step 0 and after a load
  std::optional<double> train_loss;
  double heldout_loss = 0.0;
  std::optional<double> heldout_accuracy;  // none for corpus tasks
  double baseline = 0.0;
  std::optional<double> permutation_error;  // none unless the model is permutation-equivariant
  std::vector<LabHeadRecord> heads;
};
ResultValue lab_checkpoint_result(const LabCheckpointRecord& record);

// The wasm lab binding's other results (lab_binding.cpp fills these from its trainer; the keys are
// result_lab_fields.cpp's tables; the CLI prints none of them, so every row is wasm only and the trees are
// for ResultTarget::kWasm). lab_set_corpus(): the corpus's size.
struct LabCorpusRecord {
  long long tokens = 0;
  long long symbols = 0;
};
ResultValue lab_corpus_result(const LabCorpusRecord& record);
// lab_start(): the new run's id, where it stands and its size.
struct LabStartRecord {
  long long id = 0;
  long long step = 0;
  long long steps = 0;
  long long vocab = 0;
  long long parameters = 0;
  long long memory_bytes = 0;
};
ResultValue lab_start_result(const LabStartRecord& record);
// lab_advance(), lab_load(), lab_stop(): where a run stands.
struct LabProgressRecord {
  long long step = 0;
  long long steps = 0;
  bool is_done = false;
  long long checkpoints = 0;
};
ResultValue lab_progress_result(const LabProgressRecord& record);
// lab_attention(): the probe sequence's attention per layer and head at the last checkpoint.
struct LabAttentionHeadRecord {
  LabHeadRecord head;                // layer, head, pattern, attention (its stats unused)
  const MatrixXd* matrix = nullptr;  // the head's attention, n x n (not copied)
};
struct LabAttentionRecord {
  long long step = 0;
  long long n = 0;
  std::vector<int> tokens;
  std::vector<LabAttentionHeadRecord> heads;
};
// The matrices are views of the record's: use the tree before they go.
ResultValue lab_attention_result(const LabAttentionRecord& record);

// The probe's attention at one checkpoint, 8-bit (lab/probe_attention.h; `attnrank train --attention-out`).
struct LabProbeHeadRecord {
  LabHeadRecord head;  // layer, head, pattern, attention (its stats unused)
  double scale = 0.0;
  std::string data;    // base64 of n * n bytes, row-major
};
struct LabProbeAttentionRecord {
  std::string config;
  long long seed = 0;
  long long step = 0;
  long long n = 0;
  std::vector<int> tokens;
  std::vector<LabProbeHeadRecord> heads;
};
ResultValue lab_probe_attention_result(const LabProbeAttentionRecord& record);

// The lab's experiments (lab/experiments.h fills these; `attnrank train --list-experiments --json`, the wasm
// lab_experiments()): {experiments: [...]}.
struct LabComparisonSpecRecord {
  std::string claim, a, a_minus, b, b_minus, expect;
  bool b_may_not_learn = false;
  std::string question_en, question_zh;
};
struct LabExperimentRecord {
  std::string id, task, title_en, title_zh;
  std::vector<std::string> claims, configs;
  std::string metric, better;
  std::vector<int> seeds;
  ResultValue options;  // an object: the lab_start config keys of the runs
  std::vector<LabComparisonSpecRecord> comparisons;
};
ResultValue lab_experiments_result(const std::vector<LabExperimentRecord>& experiments);

// The lab's verdicts (lab/verdicts.h fills these; the wasm lab_verdicts(records)): per comparison the
// bands and its outcome, per claim its verdict.
struct LabBandRecord {
  std::vector<double> seeds;    // the complete seeds the band is over, ascending (exact integers < 2^33)
  std::vector<double> values;   // the side's value per seed
  double mean = 0.0, low = 0.0, high = 0.0;
};
struct LabComparisonVerdictRecord {
  std::string experiment, claim, a, a_minus, b, b_minus, metric, expect;
  std::optional<LabBandRecord> a_band, b_band, difference;  // none when the side has no complete seed
  std::string outcome;   // a_better, b_better, no_difference, not_enough_runs, not_learned, no_runs
  std::string verdict;   // supported, contradicted, inconclusive
  std::vector<std::string> not_learned;
  std::string text_en, text_zh;
};
struct LabClaimVerdictRecord {
  std::string claim, verdict;
  std::vector<std::string> experiments;  // the experiments whose comparisons decided it (those with runs)
  std::string text_en, text_zh;
};
struct LabVerdictsRecord {
  std::vector<LabComparisonVerdictRecord> comparisons;
  std::vector<LabClaimVerdictRecord> claims;
  std::vector<std::string> borrowed;  // "mlm bidirectional:softmax from lm-vs-mlm": runs one experiment took from its twin
};
ResultValue lab_verdicts_result(const LabVerdictsRecord& record);

// What the module says about itself: limits() (`attnrank limits`): {name: {min, max}} per range of
// param_ranges.h's kAllRanges; messages(): {key: template} per word of errors.h's kWords.
ResultValue limits_result();
ResultValue messages_result();
// memory_usage(): the wasm module's memory as its binding measures it (emscripten heap, mallinfo, stack),
// and the default request budget.
struct ModuleMemory {
  long long heap_bytes = 0;
  long long footprint = 0;
  long long max_footprint = 0;
  long long in_use = 0;
  long long stack_pointer = 0;
};
ResultValue memory_usage_result(const ModuleMemory& memory);
// parse_npy(): {rows, cols, data} of the matrix the .npy reader gave (data a view of `matrix`: use the
// tree before the matrix goes).
ResultValue npy_matrix_result(const MatrixXd& matrix);

}  // namespace attnrank
