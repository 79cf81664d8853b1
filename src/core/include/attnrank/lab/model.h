// The training lab's model (design-lab.md section 1): token (+ learned position) embedding, L pre-LN
// blocks X <- X + Attn(LN1 X); X <- X + MLP(LN2 X) with H heads per layer, each head its own mask pattern
// and softmax or linear attention, MLP GELU(Y W1) W2 (4D hidden, no biases), final LN, logits tied to the
// embedding, mean cross-entropy over the positions with a target. Forward and backward over a batch of B
// sequences of exactly n tokens, templated on the scalar (float to train, double to check), built from
// ops.h, so its results are bit-identical natively and in wasm. Not here: the optimiser (optimizer.h),
// tasks and objectives (which tokens and targets), checkpoints, rank statistics, I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/attention/masks.h"
#include "attnrank/base/glossary.h"
#include "attnrank/lab/ops.h"

namespace attnrank::lab {

enum class HeadKind { kSoftmax, kLinear };
enum class Positions { kLearned, kNone };

struct ModelConfig {
  int vocab = 0;   // V
  int n = 64;      // context: every sequence has exactly n tokens
  int width = 64;  // D; the head size is h = D / H
  int heads = 4;   // H, divides D
  int layers = 2;  // L
  Positions positions = Positions::kLearned;
  std::vector<std::vector<MaskSpec>> masks;  // [L][H]: each head's pattern (built at size n)
  std::vector<std::vector<HeadKind>> kinds;  // [L][H]: softmax or linear
};

// Every head of every layer with one pattern and kind (the common case; mixtures set masks directly).
ModelConfig uniform_model_config(int vocab, int n, int width, int heads, int layers, const MaskSpec& mask,
                                 HeadKind kind, Positions positions = Positions::kLearned);

// Throws kInvalidArgument naming the parameter: sizes >= 1, heads dividing width, masks/kinds [L][H],
// each mask valid at n.
void validate_model_config(const ModelConfig& config);

// One parameter tensor inside the flat parameter array, in the dump order and with the dump names of
// design-lab.md section 7 (tok_emb, pos_emb, layers.<l>.ln1.g, ..., ln_f.b). Shapes (rows, cols); a
// vector is (1, cols). is_decayed: AdamW's weight decay applies (the matrices, not E, P, g, b).
struct ParameterInfo {
  std::string name;
  std::size_t offset = 0;
  int rows = 0;
  int cols = 0;
  bool is_decayed = false;
  double init_std = 0;       // N(0, init_std^2) when > 0
  double init_constant = 0;  // otherwise every entry is this (LN gains 1, LN biases 0)
};
std::vector<ParameterInfo> parameter_layout(const ModelConfig& config);
std::size_t parameter_count(const ModelConfig& config);

template <typename T>
class Model {
 public:
  explicit Model(const ModelConfig& config);  // validates; parameters zero until init()

  // Parameters from Rng(seed): in layout order, row-major, each N(0, init_std^2) drawn as a double by
  // Rng::next_normal and rounded to T; LN gains 1, biases 0. E, P, Wq, Wk, Wv, W1 std 0.02;
  // Wo, W2 std 0.02 / sqrt(2 L) (section 1).
  void init(std::uint64_t seed);

  // tokens and targets: (batch, n) row-major; targets -1 where no loss is taken. Returns the mean
  // cross-entropy over the targeted positions and keeps every activation for backward().
  T forward(const int* tokens, const int* targets, int batch);
  // d loss / d parameters of the last forward, written (not added) into gradients(). Throws
  // kInvalidArgument when no forward completed since construction or since a forward that threw.
  void backward();

  const ModelConfig& config() const { return config_; }
  const std::vector<ParameterInfo>& layout() const { return layout_; }
  std::vector<T>& parameters() { return params_; }
  const std::vector<T>& parameters() const { return params_; }
  const std::vector<T>& gradients() const { return grads_; }
  // A of (layer, sequence, head) from the last forward: (n, n) row-major, rows sum to 1.
  const T* attention(int layer, int sequence, int head) const;
  // Logits (batch * n, V) of the last forward.
  const std::vector<T>& logits() const { return logits_; }

 private:
  struct LayerParameters {  // offsets into params_ / grads_
    std::size_t ln1_g, ln1_b, wq, wk, wv, wo, ln2_g, ln2_b, w1, w2;
  };
  void resize_activations(int batch);
  std::size_t rows_offset(int layer) const;  // (layer, rows, D) block start
  std::size_t map_offset(int layer, int sequence, int head) const;

  ModelConfig config_;
  std::vector<ParameterInfo> layout_;
  std::vector<LayerParameters> layer_params_;
  std::size_t tok_emb_ = 0, pos_emb_ = 0, lnf_g_ = 0, lnf_b_ = 0;
  bool has_positions_ = true;
  std::vector<std::vector<Mask>> masks_;  // [L][H], (n, n)
  std::vector<T> params_, grads_;

  // Activations of the last forward (batch_ sequences); per-layer arrays are L blocks.
  int batch_ = 0;
  bool has_forward_ = false;  // the activations belong to a forward that completed
  std::vector<int> tokens_, targets_;
  std::vector<T> x_;         // (L + 1, rows, D): residual stream entering layer l; x_[L] leaves the last
  std::vector<T> x_mid_;     // (L, rows, D): after the attention residual
  std::vector<T> ln1_, ln1_mean_, ln1_rstd_, ln2_, ln2_mean_, ln2_rstd_;  // (L, rows, D), (L, rows)
  std::vector<T> q_, k_, v_, heads_out_;  // (L, rows, D); heads_out_ = concat_k A_k V_k
  std::vector<T> maps_, row_sums_;        // (L, B, H, n, n) attention matrices; (L, B, H, n) linear D
  std::vector<T> hidden_, hidden_gelu_;   // (L, rows, 4D): gelu'(Y W1) (the slope), GELU(Y W1)
  std::vector<T> lnf_, lnf_mean_, lnf_rstd_, logits_, probs_;
  // Backward's gradient buffers, sized with the activations (allocated once per batch size, not per step).
  std::vector<T> d_logits_, d_lnf_, d_res_, d_act_, d_pre_, d_ln_, d_heads_, dq_, dk_, dv_;
  AttentionWorkspace<T> attention_workspace_;  // every head's scratch, one head at a time
};

extern template class Model<float>;
extern template class Model<double>;

}  // namespace attnrank::lab
