// A lab run's memory (see run_memory.h). Each count mirrors the allocation it stands for; change both.
#include "attnrank/lab/run_memory.h"

#include <algorithm>

#include "attnrank/base/errors.h"
#include "attnrank/base/memory_estimate.h"
#include "invariants.h"

namespace attnrank::lab {
namespace {

constexpr double kIntBytes = 4.0;
constexpr double kMlpExpansion = 4.0;  // model.cpp: W1 is D x 4D

// Model<T>::resize_activations at `batch` sequences, in elements of T, plus the attention workspace and
// the kernels' scratch (transposes of at most max(V D, 4 D^2), panels of 3 rows x k entries, each a
// 4-lane vector, on the 128-bit path; the 256-bit path packs nothing), in elements of T.
double activation_elements(const ModelConfig& m, double batch) {
  const double n = m.n, d = m.width, layers = m.layers, heads = m.heads, vocab = m.vocab, h = d / heads;
  const double rows = batch * n;
  double count = (layers + 1) * rows * d;  // x_
  count += 7 * layers * rows * d;          // x_mid_, ln1_, ln2_, q_, k_, v_, heads_out_
  count += 4 * layers * rows;              // LN means and rstds
  count += layers * batch * heads * n * n; // maps_
  count += layers * batch * heads * n;     // row_sums_
  count += 2 * layers * rows * kMlpExpansion * d;  // hidden_, hidden_gelu_
  count += rows * d + 2 * rows;            // lnf_ and its stats
  count += 3 * rows * vocab;               // logits_, probs_, d_logits_
  count += 7 * rows * d;                   // d_lnf_, d_res_, d_ln_, d_heads_, dq_, dk_, dv_
  count += 2 * rows * kMlpExpansion * d;   // d_act_, d_pre_
  count += n * n + n + 6 * n * h;          // AttentionWorkspace (phi, d_phi and scaled inputs of q and k)
  count += std::max(vocab * d, kMlpExpansion * d * d) + 12 * std::max({vocab, kMlpExpansion * d, rows});  // kernels
  return count;
}

}  // namespace

RunMemory count_run_memory(const RunConfig& config) {
  const ModelConfig& m = config.model;
  const double parameters = static_cast<double>(parameter_count(m));
  const double n = m.n, rows = static_cast<double>(config.batch) * n;
  RunMemory memory;
  memory.weights = 4 * parameters * kFloatBytes;
  // The model's and the trainer's tokens and targets (ints).
  memory.activations = activation_elements(m, config.batch) * kFloatBytes + 4 * rows * kIntBytes;
  bool has_bound = false;
  for (int l = 0; l < m.layers; ++l)
    for (int h = 0; h < m.heads; ++h) has_bound = has_bound || has_rank_bound(m, l, h);
  if (has_bound) memory.probe_f64 = (2 * parameters + activation_elements(m, 1)) * kDoubleBytes;
  const double heads = static_cast<double>(m.layers) * m.heads;
  const double checkpoints = static_cast<double>(config.steps / config.checkpoint_interval) + 2;
  // Per head: the matrix and its spectrum; per checkpoint the probe's logits copy (permutation_error);
  // once: an SVD's working copies (the matrix, its bidiagonal reduction, the Householder workspace).
  memory.checkpoints = checkpoints * (heads * (n * n + n) * kDoubleBytes + n * m.vocab * kFloatBytes) +
                       3 * n * n * kDoubleBytes;
  return memory;
}

std::int64_t estimate_run_bytes(const RunConfig& config) {
  return to_estimate_bytes(count_run_memory(config).total() + kOverheadBytes);
}

void check_run_memory(const RunConfig& config) {
  require_in_range(kMemoryBudgetRange.name, config.memory_budget_mib, kMemoryBudgetRange.min, kMemoryBudgetRange.max);
  const std::int64_t bytes = estimate_run_bytes(config);
  if (bytes <= config.memory_budget_mib * kBytesPerMiB) return;
  const RunMemory memory = count_run_memory(config);
  const char* param = "batch";
  const char* advice = "lower batch, n or layers";
  if (memory.weights + memory.probe_f64 > std::max(memory.activations, memory.checkpoints)) {
    param = "width";
    advice = "lower width or layers";
  } else if (memory.checkpoints > memory.activations) {
    param = "checkpoint_every";  // the option and config key of RunConfig::checkpoint_interval
    advice = "checkpoint less often (a larger checkpoint interval) or lower n";
  }
  const auto mib = [](double value) { return static_cast<long long>(value / kBytesPerMiB + 0.5); };
  fail(ErrorCode::kTooLarge, param,
       message("train needs ~", (bytes + kBytesPerMiB - 1) / kBytesPerMiB, " MiB, over the memory budget of ",
               config.memory_budget_mib, " MiB (weights and AdamW ", mib(memory.weights), ", activations ",
               mib(memory.activations), ", f64 probe ", mib(memory.probe_f64), ", checkpoints ", mib(memory.checkpoints),
               " MiB): ", advice));
}

}  // namespace attnrank::lab
