// One request, end to end: a validated configuration -> inputs Q, K -> attention matrix A (softmax or
// linear, in f64 or f32) -> rank statistics + logits rank. The CLI, the wasm module and the tests all go
// through analyze(), so they report the same numbers for the same configuration.
#pragma once

#include <cstdint>

#include <optional>
#include <string>

#include "attnrank/attention/linear_attention.h"
#include "attnrank/attention/masks.h"
#include "attnrank/base/glossary.h"
#include "attnrank/base/memory_estimate.h"
#include "attnrank/random/inputs.h"
#include "attnrank/stats/rank_stats.h"

namespace attnrank {

enum class AttentionKind { kSoftmax, kLinear };
AttentionKind parse_attention_kind(const std::string& name);  // "softmax", "linear"
const char* attention_kind_name(AttentionKind kind);
Precision parse_precision(const std::string& name);           // "f64", "f32"
const char* precision_name(Precision precision);

struct AnalysisConfig {
  MaskSpec mask;                  // pattern + prefix / window / custom
  InputSpec inputs;               // n, d, seed, rope, repeat_period (ignored when user_q is set)
  double scale = 1.0;             // s
  AttentionKind kind = AttentionKind::kSoftmax;
  LinearSpec linear;              // feature map and m, for kLinear
  Precision precision = Precision::F64;
  bool want_matrix = false;
  std::optional<MatrixXd> user_q;  // (n, d) loaded by the user; then inputs.n, inputs.d follow them
  std::optional<MatrixXd> user_k;
  int memory_budget_mib = kDefaultMemoryBudgetMiB;  // kTooLarge when the peak estimate exceeds it
};


struct AnalysisResult {
  int n = 0;
  int d = 0;
  RankStats stats;
  int logits_rank = 0;
  int feature_dimension = 0;       // rank bound of bidirectional linear attention (d or m); 0 for softmax
  std::optional<MatrixXd> matrix;  // A, when want_matrix (f32 results widened)
  std::optional<Mask> mask;        // the 0/1 mask of A, when want_matrix (so no caller re-derives it)
};

void validate(const AnalysisConfig& config);
AnalysisResult analyze(const AnalysisConfig& config);

// The limits validate() puts on loaded Q and K (n rows, d columns), in its words: a file's loader calls it
// with the shape its header declares, before reading the data.
void require_input_shape(std::int64_t rows, std::int64_t cols);

// Peak heap bytes of one analyze() request (config validated), and the check analyze() runs after validation,
// before allocating (kTooLarge over config.memory_budget_mib; docs/memory.md).
std::int64_t estimate_analysis_bytes(const AnalysisConfig& config);
void require_analysis_within_budget(const AnalysisConfig& config);

}  // namespace attnrank
