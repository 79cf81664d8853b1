// The lab's model (see model.h): the layout of its parameters, the seeded init, and forward and
// backward over a batch wired from ops.h. Backward walks the layers in reverse with one residual-gradient
// buffer: each branch's input-gradient adds into it (ops' backwards add), so no copies and a fixed order.
#include "attnrank/lab/model.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "attnrank/base/errors.h"
#include "attnrank/lab/ops.h"
#include "random/rng.h"

namespace attnrank::lab {
namespace {

constexpr double kInitStd = 0.02;  // GPT-2's init (Radford et al. 2019), as in section 1
constexpr int kMlpExpansion = 4;   // W1 is D x 4D

void require_at_least_one(const char* name, int value) {
  if (value < 1) fail(ErrorCode::kInvalidArgument, name, message(name, "=", value, " must be >= 1"));
}

template <typename Table>
void require_layer_head_table(const Table& table, const char* name, int layers, int heads) {
  if (static_cast<int>(table.size()) != layers) {
    fail(ErrorCode::kInvalidArgument, name,
         message(name, " has ", static_cast<int>(table.size()), " layers, expected layers=", layers));
  }
  for (int l = 0; l < layers; ++l)
    if (static_cast<int>(table[l].size()) != heads) {
      fail(ErrorCode::kInvalidArgument, name, message(name, "[", l, "] has ", static_cast<int>(table[l].size()),
                                                " heads, expected heads=", heads));
    }
}

}  // namespace

ModelConfig uniform_model_config(int vocab, int n, int width, int heads, int layers, const MaskSpec& mask,
                                 HeadKind kind, Positions positions) {
  ModelConfig config;
  config.vocab = vocab;
  config.n = n;
  config.width = width;
  config.heads = heads;
  config.layers = layers;
  config.positions = positions;
  config.masks.assign(layers > 0 ? layers : 0, std::vector<MaskSpec>(heads > 0 ? heads : 0, mask));
  config.kinds.assign(layers > 0 ? layers : 0, std::vector<HeadKind>(heads > 0 ? heads : 0, kind));
  return config;
}

void validate_model_config(const ModelConfig& config) {
  require_at_least_one("vocab", config.vocab);
  require_at_least_one("n", config.n);
  require_at_least_one("width", config.width);
  require_at_least_one("heads", config.heads);
  require_at_least_one("layers", config.layers);
  if (config.width % config.heads != 0) {
    fail(ErrorCode::kInvalidArgument, "heads",
         message("width=", config.width, " is not divisible by heads=", config.heads));
  }
  require_layer_head_table(config.masks, "masks", config.layers, config.heads);
  require_layer_head_table(config.kinds, "kinds", config.layers, config.heads);
  for (const auto& layer : config.masks)
    for (const MaskSpec& spec : layer) validate_mask_spec(spec, config.n);
}

std::vector<ParameterInfo> parameter_layout(const ModelConfig& config) {
  validate_model_config(config);
  const int d = config.width, hidden = kMlpExpansion * config.width;
  const double residual_std = kInitStd / std::sqrt(2.0 * config.layers);
  std::vector<ParameterInfo> layout;
  std::size_t offset = 0;
  const auto add = [&](std::string name, int rows, int cols, bool is_decayed, double init_std,
                       double init_constant = 0) {
    layout.push_back({std::move(name), offset, rows, cols, is_decayed, init_std, init_constant});
    offset += static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  };
  add("tok_emb", config.vocab, d, false, kInitStd);
  if (config.positions == Positions::kLearned) add("pos_emb", config.n, d, false, kInitStd);
  for (int l = 0; l < config.layers; ++l) {
    const std::string prefix = "layers." + std::to_string(l) + ".";
    add(prefix + "ln1.g", 1, d, false, 0, 1);
    add(prefix + "ln1.b", 1, d, false, 0);
    add(prefix + "attn.wq", d, d, true, kInitStd);
    add(prefix + "attn.wk", d, d, true, kInitStd);
    add(prefix + "attn.wv", d, d, true, kInitStd);
    add(prefix + "attn.wo", d, d, true, residual_std);
    add(prefix + "ln2.g", 1, d, false, 0, 1);
    add(prefix + "ln2.b", 1, d, false, 0);
    add(prefix + "mlp.w1", d, hidden, true, kInitStd);
    add(prefix + "mlp.w2", hidden, d, true, residual_std);
  }
  add("ln_f.g", 1, d, false, 0, 1);
  add("ln_f.b", 1, d, false, 0);
  return layout;
}

std::size_t parameter_count(const ModelConfig& config) {
  const std::vector<ParameterInfo> layout = parameter_layout(config);
  const ParameterInfo& last = layout.back();
  return last.offset + static_cast<std::size_t>(last.rows) * static_cast<std::size_t>(last.cols);
}

template <typename T>
Model<T>::Model(const ModelConfig& config) : config_(config), layout_(parameter_layout(config)) {
  has_positions_ = config.positions == Positions::kLearned;
  std::size_t index = 0;
  const auto next = [&] { return layout_[index++].offset; };
  tok_emb_ = next();
  if (has_positions_) pos_emb_ = next();
  for (int l = 0; l < config.layers; ++l) {
    LayerParameters p{};
    p.ln1_g = next();
    p.ln1_b = next();
    p.wq = next();
    p.wk = next();
    p.wv = next();
    p.wo = next();
    p.ln2_g = next();
    p.ln2_b = next();
    p.w1 = next();
    p.w2 = next();
    layer_params_.push_back(p);
  }
  lnf_g_ = next();
  lnf_b_ = next();
  params_.assign(parameter_count(config), T(0));
  grads_.assign(params_.size(), T(0));
  masks_.resize(config.layers);
  for (int l = 0; l < config.layers; ++l)
    for (int head = 0; head < config.heads; ++head) {
      masks_[l].push_back(build_mask(config.masks[l][head], config.n));
      // Once here, so forward and backward pass MaskCheck::kCheckedByCaller (masks_ never changes).
      validate_mask_matrix(masks_[l].back(), config.n, config.n, "mask");
    }
}

template <typename T>
void Model<T>::init(std::uint64_t seed) {
  Rng rng(seed);
  for (const ParameterInfo& info : layout_) {
    const std::size_t count = static_cast<std::size_t>(info.rows) * static_cast<std::size_t>(info.cols);
    T* values = params_.data() + info.offset;
    for (std::size_t i = 0; i < count; ++i)
      values[i] = static_cast<T>(info.init_std > 0 ? rng.next_normal() * info.init_std : info.init_constant);
  }
}

template <typename T>
std::size_t Model<T>::rows_offset(int layer) const {
  return static_cast<std::size_t>(layer) * static_cast<std::size_t>(batch_) * config_.n * config_.width;
}

template <typename T>
std::size_t Model<T>::map_offset(int layer, int sequence, int head) const {
  const std::size_t n = static_cast<std::size_t>(config_.n);
  return ((static_cast<std::size_t>(layer) * batch_ + sequence) * config_.heads + head) * n * n;
}

template <typename T>
const T* Model<T>::attention(int layer, int sequence, int head) const {
  if (layer < 0 || layer >= config_.layers || sequence < 0 || sequence >= batch_ || head < 0 ||
      head >= config_.heads) {
    // A caller's index into the last forward; layer, sequence and head together decide it: no single param.
    fail(ErrorCode::kInvalidArgument, message("attention(layer=", layer, ", sequence=", sequence, ", head=", head,
                                              ") is outside the last forward (layers=", config_.layers,
                                              ", batch=", batch_, ", heads=", config_.heads, ")"));
  }
  return maps_.data() + map_offset(layer, sequence, head);
}

template <typename T>
void Model<T>::resize_activations(int batch) {
  batch_ = batch;
  const std::size_t rows = static_cast<std::size_t>(batch) * config_.n;
  const std::size_t layers = static_cast<std::size_t>(config_.layers);
  const std::size_t d = static_cast<std::size_t>(config_.width);
  const std::size_t n = static_cast<std::size_t>(config_.n);
  x_.assign((layers + 1) * rows * d, T(0));
  for (std::vector<T>* a : {&x_mid_, &ln1_, &ln2_, &q_, &k_, &v_, &heads_out_}) a->assign(layers * rows * d, T(0));
  for (std::vector<T>* a : {&ln1_mean_, &ln1_rstd_, &ln2_mean_, &ln2_rstd_}) a->assign(layers * rows, T(0));
  maps_.assign(layers * batch * config_.heads * n * n, T(0));
  row_sums_.assign(layers * batch * config_.heads * n, T(0));
  hidden_.assign(layers * rows * kMlpExpansion * d, T(0));
  hidden_gelu_.assign(hidden_.size(), T(0));
  lnf_.assign(rows * d, T(0));
  lnf_mean_.assign(rows, T(0));
  lnf_rstd_.assign(rows, T(0));
  logits_.assign(rows * static_cast<std::size_t>(config_.vocab), T(0));
  probs_.assign(logits_.size(), T(0));
  d_logits_.assign(logits_.size(), T(0));
  for (std::vector<T>* a : {&d_lnf_, &d_res_, &d_ln_, &d_heads_, &dq_, &dk_, &dv_}) a->assign(rows * d, T(0));
  d_act_.assign(rows * kMlpExpansion * d, T(0));
  d_pre_.assign(d_act_.size(), T(0));
}

template <typename T>
T Model<T>::forward(const int* tokens, const int* targets, int batch) {
  require_at_least_one("batch", batch);
  has_forward_ = false;
  if (batch != batch_) resize_activations(batch);
  const int n = config_.n, d = config_.width, heads = config_.heads, h = d / heads, hidden = kMlpExpansion * d;
  const int rows = batch * n;
  tokens_.assign(tokens, tokens + rows);
  targets_.assign(targets, targets + rows);
  const T* p = params_.data();
  embedding_forward(x_.data(), tokens, p + tok_emb_, has_positions_ ? p + pos_emb_ : nullptr, batch, n, config_.vocab,
                    d);
  for (int l = 0; l < config_.layers; ++l) {
    const LayerParameters& w = layer_params_[l];
    const std::size_t block = rows_offset(l), stats = static_cast<std::size_t>(l) * rows;
    const T* x = x_.data() + block;
    T* ln1 = ln1_.data() + block;
    T* q = q_.data() + block;
    T* k = k_.data() + block;
    T* v = v_.data() + block;
    T* heads_out = heads_out_.data() + block;
    T* x_mid = x_mid_.data() + block;
    layernorm_forward(ln1, ln1_mean_.data() + stats, ln1_rstd_.data() + stats, x, p + w.ln1_g, p + w.ln1_b, rows, d);
    linear_forward(q, ln1, p + w.wq, rows, d, d);
    linear_forward(k, ln1, p + w.wk, rows, d, d);
    linear_forward(v, ln1, p + w.wv, rows, d, d);
    for (int b = 0; b < batch; ++b)
      for (int head = 0; head < heads; ++head) {
        const std::size_t at = static_cast<std::size_t>(b) * n * d + static_cast<std::size_t>(head) * h;
        T* map = maps_.data() + map_offset(l, b, head);
        if (config_.kinds[l][head] == HeadKind::kSoftmax) {
          softmax_attention_forward(heads_out + at, d, map, q + at, k + at, v + at, d, n, h, masks_[l][head],
                                    MaskCheck::kCheckedByCaller);
        } else {
          T* sums = row_sums_.data() + map_offset(l, b, head) / static_cast<std::size_t>(n);
          linear_attention_forward(heads_out + at, d, map, sums, q + at, k + at, v + at, d, n, h, masks_[l][head],
                                   attention_workspace_, MaskCheck::kCheckedByCaller);
        }
      }
    linear_forward(x_mid, heads_out, p + w.wo, rows, d, d);  // X_mid = X + heads Wo
    for (std::size_t i = 0; i < static_cast<std::size_t>(rows) * d; ++i) x_mid[i] = x[i] + x_mid[i];
    T* ln2 = ln2_.data() + block;
    T* pre = hidden_.data() + static_cast<std::size_t>(l) * rows * hidden;
    T* act = hidden_gelu_.data() + static_cast<std::size_t>(l) * rows * hidden;
    T* x_next = x_.data() + rows_offset(l + 1);
    layernorm_forward(ln2, ln2_mean_.data() + stats, ln2_rstd_.data() + stats, x_mid, p + w.ln2_g, p + w.ln2_b, rows,
                      d);
    linear_forward(pre, ln2, p + w.w1, rows, d, hidden);
    gelu_forward_with_slope(act, pre, pre, rows * hidden);  // pre now holds gelu'(pre) for the backward
    linear_forward(x_next, act, p + w.w2, rows, hidden, d);  // X_next = X_mid + GELU(.) W2
    for (std::size_t i = 0; i < static_cast<std::size_t>(rows) * d; ++i) x_next[i] = x_mid[i] + x_next[i];
  }
  const T* x_last = x_.data() + rows_offset(config_.layers);
  layernorm_forward(lnf_.data(), lnf_mean_.data(), lnf_rstd_.data(), x_last, p + lnf_g_, p + lnf_b_, rows, d);
  tied_logits_forward(logits_.data(), lnf_.data(), p + tok_emb_, rows, config_.vocab, d);
  const T loss = cross_entropy_forward(probs_.data(), logits_.data(), targets, rows, config_.vocab);
  has_forward_ = true;
  return loss;
}

template <typename T>
void Model<T>::backward() {
  // The call order, not a parameter.
  if (!has_forward_) fail(ErrorCode::kInvalidArgument, "backward() needs a completed forward() first");
  const int n = config_.n, d = config_.width, heads = config_.heads, h = d / heads, hidden = kMlpExpansion * d;
  const int rows = batch_ * n;
  const T* p = params_.data();
  T* g = grads_.data();
  std::fill(grads_.begin(), grads_.end(), T(0));
  std::vector<T>& d_logits = d_logits_;
  std::vector<T>& d_lnf = d_lnf_;
  std::vector<T>& d_res = d_res_;
  std::vector<T>& d_act = d_act_;
  std::vector<T>& d_pre = d_pre_;
  std::vector<T>& d_ln = d_ln_;
  std::vector<T>& d_heads = d_heads_;
  std::vector<T>& dq = dq_;
  std::vector<T>& dk = dk_;
  std::vector<T>& dv = dv_;
  for (std::vector<T>* a : {&d_logits, &d_lnf, &d_res}) std::fill(a->begin(), a->end(), T(0));
  cross_entropy_backward(d_logits.data(), probs_.data(), targets_.data(), rows, config_.vocab);
  tied_logits_backward(d_lnf.data(), g + tok_emb_, d_logits.data(), lnf_.data(), p + tok_emb_, rows, config_.vocab,
                       d);
  layernorm_backward(d_res.data(), g + lnf_g_, g + lnf_b_, d_lnf.data(), x_.data() + rows_offset(config_.layers),
                     lnf_mean_.data(), lnf_rstd_.data(), p + lnf_g_, rows, d);
  for (int l = config_.layers - 1; l >= 0; --l) {
    const LayerParameters& w = layer_params_[l];
    const std::size_t block = rows_offset(l), stats = static_cast<std::size_t>(l) * rows;
    const std::size_t hidden_block = static_cast<std::size_t>(l) * rows * hidden;
    // MLP branch: d_res holds d loss / d X_next = d X_mid (identity path) + the branch below.
    std::fill(d_act.begin(), d_act.end(), T(0));
    std::fill(d_pre.begin(), d_pre.end(), T(0));
    std::fill(d_ln.begin(), d_ln.end(), T(0));
    linear_backward(d_act.data(), g + w.w2, d_res.data(), hidden_gelu_.data() + hidden_block, p + w.w2, rows, hidden,
                    d);
    gelu_backward_from_slope(d_pre.data(), d_act.data(), hidden_.data() + hidden_block, rows * hidden);
    linear_backward(d_ln.data(), g + w.w1, d_pre.data(), ln2_.data() + block, p + w.w1, rows, d, hidden);
    layernorm_backward(d_res.data(), g + w.ln2_g, g + w.ln2_b, d_ln.data(), x_mid_.data() + block,
                       ln2_mean_.data() + stats, ln2_rstd_.data() + stats, p + w.ln2_g, rows, d);
    // Attention branch: d_res now holds d loss / d X_mid = d X (identity path) + the branch below.
    for (std::vector<T>* a : {&d_heads, &dq, &dk, &dv, &d_ln}) std::fill(a->begin(), a->end(), T(0));
    linear_backward(d_heads.data(), g + w.wo, d_res.data(), heads_out_.data() + block, p + w.wo, rows, d, d);
    const T* q = q_.data() + block;
    const T* k = k_.data() + block;
    const T* v = v_.data() + block;
    for (int b = 0; b < batch_; ++b)
      for (int head = 0; head < heads; ++head) {
        const std::size_t at = static_cast<std::size_t>(b) * n * d + static_cast<std::size_t>(head) * h;
        const T* map = maps_.data() + map_offset(l, b, head);
        if (config_.kinds[l][head] == HeadKind::kSoftmax) {
          softmax_attention_backward(dq.data() + at, dk.data() + at, dv.data() + at, d, d_heads.data() + at, d, map,
                                     q + at, k + at, v + at, d, n, h, masks_[l][head], attention_workspace_,
                                     MaskCheck::kCheckedByCaller);
        } else {
          const T* sums = row_sums_.data() + map_offset(l, b, head) / static_cast<std::size_t>(n);
          linear_attention_backward(dq.data() + at, dk.data() + at, dv.data() + at, d, d_heads.data() + at, d, map,
                                    sums, q + at, k + at, v + at, d, n, h, masks_[l][head], attention_workspace_,
                                    MaskCheck::kCheckedByCaller);
        }
      }
    const T* ln1 = ln1_.data() + block;
    linear_backward(d_ln.data(), g + w.wq, dq.data(), ln1, p + w.wq, rows, d, d);
    linear_backward(d_ln.data(), g + w.wk, dk.data(), ln1, p + w.wk, rows, d, d);
    linear_backward(d_ln.data(), g + w.wv, dv.data(), ln1, p + w.wv, rows, d, d);
    layernorm_backward(d_res.data(), g + w.ln1_g, g + w.ln1_b, d_ln.data(), x_.data() + block,
                       ln1_mean_.data() + stats, ln1_rstd_.data() + stats, p + w.ln1_g, rows, d);
  }
  embedding_backward(g + tok_emb_, has_positions_ ? g + pos_emb_ : nullptr, d_res.data(), tokens_.data(), batch_, n,
                     d);
}

template class Model<float>;
template class Model<double>;

}  // namespace attnrank::lab
