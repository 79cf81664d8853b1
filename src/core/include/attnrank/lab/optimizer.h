// The lab's optimiser (design-lab.md section 4): AdamW (beta1 0.9, beta2 0.95, eps 1e-8, weight decay
// 0.1 on the matrices only) with linear warm-up over the first 5% of the steps then cosine decay to 10%
// of the peak, after clipping the gradient at global L2 norm 1.0. The formulas are PyTorch's
// (torch.optim.AdamW, torch.nn.utils.clip_grad_norm_) and llm.c's schedule, so an external oracle can
// replay a step; every transcendental is the core's deterministic one (det_cos, sqrt). Not here: which
// parameters exist (model.h's layout decides decay), the training loop, checkpoints.
#pragma once

#include <vector>

#include "attnrank/lab/model.h"

namespace attnrank::lab {

struct AdamWConfig {
  double learning_rate = 1e-3;    // the peak
  double beta1 = 0.9;
  double beta2 = 0.95;
  double eps = 1e-8;
  double weight_decay = 0.1;      // on parameters whose ParameterInfo::is_decayed
  double warmup_fraction = 0.05;  // warm-up steps W = floor(warmup_fraction * total_steps)
  double final_fraction = 0.1;    // the cosine ends at final_fraction * learning_rate
  double clip_norm = 1.0;         // global L2 norm
  int total_steps = 1;            // S
};

// Throws kInvalidArgument naming the field (rates >= 0 and finite, betas in [0, 1), eps > 0, S >= 1, ...).
void validate_adamw_config(const AdamWConfig& config);

// The rate of step s in [0, S) (llm.c train_gpt2.c): s < W: peak (s + 1) / W; then with
// r = (s - W) / (S - W): final + 0.5 (1 + cos(pi r)) (peak - final), final = final_fraction * peak.
double scheduled_learning_rate(const AdamWConfig& config, int step);

template <typename T>
struct AdamWState {
  std::vector<T> m, v;  // first and second moments, the parameters' layout (empty = zeros at step 0)
  int steps = 0;        // updates taken; the next one is step `steps` of the schedule
};

struct StepReport {
  double learning_rate = 0;
  double gradient_norm = 0;  // before clipping
  double clip_scale = 1;     // the factor applied to the gradient (1 when not clipped)
};

// One update of params in place from grads (layout from the model). Clipping: norm = sqrt(sum g^2)
// accumulated in double in layout order; c = clip_norm / (norm + 1e-6); g <- c g when c < 1. Then per
// entry, t = steps + 1: p <- p (1 - lr wd) [decayed only]; m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
// p <- p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
template <typename T>
StepReport adamw_step(const AdamWConfig& config, const std::vector<ParameterInfo>& layout, std::vector<T>& params,
                      const std::vector<T>& grads, AdamWState<T>& state);

}  // namespace attnrank::lab
