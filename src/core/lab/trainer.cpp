// The lab's trainer (see trainer.h).
#include "trainer.h"

#include <cmath>
#include <utility>

#include "attnrank/base/errors.h"
#include "stream.h"

namespace attnrank::lab {
namespace {

void require_range(const char* name, int value, int low, int high) {
  if (value < low || value > high) {
    fail(ErrorCode::kInvalidArgument, message(name, "=", value, " is outside [", low, ", ", high, "]"));
  }
}

const ModelConfig& validated(const RunConfig& config) {
  validate_model_config(config.model);
  require_range("steps", config.steps, 1, 10000000);
  require_range("batch", config.batch, 1, 4096);
  require_range("checkpoint_interval", config.checkpoint_interval, 1, 10000000);
  require_range("heldout_batches", config.heldout_batches, 1, 4096);
  return config.model;
}

AdamWConfig scheduled(const RunConfig& config) {
  AdamWConfig optimizer = config.optimizer;
  optimizer.total_steps = config.steps;
  validate_adamw_config(optimizer);
  return optimizer;
}

}  // namespace

std::uint64_t init_seed(std::uint64_t seed, std::uint64_t run) {
  return run == 0 ? seed : splitmix64_mix(seed ^ splitmix64_mix(run));
}

Trainer::Trainer(const RunConfig& config, std::shared_ptr<const Corpus> corpus)
    : config_(config), corpus_(std::move(corpus)), task_(config.task, corpus_, validated(config)), model_(config.model) {
  if (config_.model.vocab != task_.vocab()) {
    fail(ErrorCode::kInvalidArgument, message("vocab=", config_.model.vocab, " differs from task=",
                                              task_name(config_.task.kind), "'s vocabulary of ", task_.vocab()));
  }
  config_.optimizer = scheduled(config_);
  model_.init(init_seed(config_.seed, config_.run));
  record_checkpoint(std::nullopt);
}

double Trainer::step() {
  if (is_stopped_) fail(ErrorCode::kInvalidArgument, message("run is stopped at step ", steps_taken_));
  if (steps_taken_ >= config_.steps) {
    fail(ErrorCode::kInvalidArgument, message("run has taken all its steps=", config_.steps));
  }
  task_.batch(config_.seed, config_.run, StreamDomain::kTrain, static_cast<std::uint64_t>(steps_taken_),
              config_.batch, tokens_, targets_);
  const double loss = model_.forward(tokens_.data(), targets_.data(), config_.batch);
  if (!std::isfinite(loss)) {
    fail(ErrorCode::kNumericalFailure, message("loss=", loss, " at step ", steps_taken_, " (task=",
                                               task_name(config_.task.kind), ", seed=",
                                               static_cast<double>(config_.seed), ")"));
  }
  model_.backward();
  adamw_step(config_.optimizer, model_.layout(), model_.parameters(), model_.gradients(), adam_);
  ++steps_taken_;
  if (steps_taken_ % config_.checkpoint_interval == 0 || steps_taken_ == config_.steps) record_checkpoint(loss);
  return loss;
}

HeldOutResult Trainer::evaluate_heldout() {
  HeldOutResult result;
  double loss_sum = 0;
  long long correct = 0;
  const int vocab = config_.model.vocab;
  for (int b = 0; b < config_.heldout_batches; ++b) {
    task_.batch(config_.seed, config_.run, StreamDomain::kHeldOut, static_cast<std::uint64_t>(b), config_.batch,
                tokens_, targets_);
    const double loss = model_.forward(tokens_.data(), targets_.data(), config_.batch);
    if (!std::isfinite(loss)) {
      fail(ErrorCode::kNumericalFailure, message("held-out loss=", loss, " at step ", steps_taken_, " (task=",
                                                 task_name(config_.task.kind), ")"));
    }
    long long count = 0;
    const std::vector<float>& logits = model_.logits();
    for (std::size_t r = 0; r < targets_.size(); ++r) {
      if (targets_[r] < 0) continue;
      ++count;
      const float* row = logits.data() + r * static_cast<std::size_t>(vocab);
      int best = 0;
      for (int v = 1; v < vocab; ++v)
        if (row[v] > row[best]) best = v;  // ties: the lowest id
      correct += best == targets_[r];
    }
    loss_sum += loss * static_cast<double>(count);  // the model's loss is the mean over this batch's targets
    result.targets += count;
  }
  result.loss = loss_sum / static_cast<double>(result.targets);
  result.accuracy = static_cast<double>(correct) / static_cast<double>(result.targets);
  return result;
}

std::vector<int> Trainer::probe_tokens() const {
  std::vector<int> tokens(config_.model.n), targets(config_.model.n);
  task_.example(StreamKey{config_.seed, config_.run, StreamDomain::kProbe, 0, 0}, tokens.data(), targets.data());
  return tokens;
}

void Trainer::record_checkpoint(std::optional<double> train_loss) {
  Checkpoint checkpoint;
  checkpoint.step = steps_taken_;
  checkpoint.train_loss = train_loss;
  const HeldOutResult heldout = evaluate_heldout();
  checkpoint.heldout_loss = heldout.loss;
  if (is_accuracy_task(config_.task.kind)) checkpoint.heldout_accuracy = heldout.accuracy;

  // The probe: one held-out sequence with its task's targets (forward needs at least one).
  const int n = config_.model.n;
  std::vector<int> tokens(n), targets(n);
  task_.example(StreamKey{config_.seed, config_.run, StreamDomain::kProbe, 0, 0}, tokens.data(), targets.data());
  model_.forward(tokens.data(), targets.data(), 1);
  for (int l = 0; l < config_.model.layers; ++l)
    for (int h = 0; h < config_.model.heads; ++h) {
      HeadCheckpoint head;
      head.layer = l;
      head.head = h;
      const float* a = model_.attention(l, 0, h);
      head.attention.resize(n, n);
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) head.attention(i, j) = static_cast<double>(a[static_cast<std::size_t>(i) * n + j]);
      head.stats = compute_rank_stats(head.attention);
      checkpoint.heads.push_back(std::move(head));
    }
  checkpoints_.push_back(std::move(checkpoint));
}

}  // namespace attnrank::lab
