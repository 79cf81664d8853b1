// The lab's trainer (see trainer.h).
#include "attnrank/lab/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>

#include "attnrank/base/errors.h"
#include "invariants.h"
#include "attnrank/lab/run_memory.h"
#include "attnrank/lab/stream.h"

namespace attnrank::lab {
namespace {

void require_range(const char* name, int value, int low, int high) {
  if (value < low || value > high) {
    fail(ErrorCode::kInvalidArgument, name, message(name, "=", value, " is outside [", low, ", ", high, "]"));
  }
}

const ModelConfig& validated(const RunConfig& config) {
  validate_model_config(config.model);
  require_range("steps", config.steps, 1, 10000000);
  require_range("batch", config.batch, 1, 4096);
  require_range("checkpoint_every", config.checkpoint_interval, 1, 10000000);  // named as the option
  require_range("heldout_batches", config.heldout_batches, 1, 4096);
  check_run_memory(config);
  return config.model;
}

// A number as save()'s header writes it: integers exactly, doubles with 17 significant digits.
std::string text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// The configuration that decides a run's weights, as "key=value" words separated by spaces (no value
// holds a space). checkpoint_interval and heldout_batches are left out: they change no weight.
std::string run_fingerprint(const RunConfig& config) {
  const ModelConfig& m = config.model;
  const TaskConfig& t = config.task;
  const AdamWConfig& o = config.optimizer;
  std::string out = message("vocab=", m.vocab, " n=", m.n, " width=", m.width, " heads=", m.heads,
                            " layers=", m.layers, " positions=", m.positions == Positions::kLearned ? "learned" : "none");
  for (int l = 0; l < m.layers; ++l)
    for (int h = 0; h < m.heads; ++h) {
      const MaskSpec& spec = m.masks[l][h];
      out += message(" layers.", l, ".head.", h, "=", pattern_name(spec.kind), ",p", spec.prefix, ",w", spec.window, ",",
                     m.kinds[l][h] == HeadKind::kSoftmax ? "softmax" : "linear");
      if (spec.kind == PatternKind::kCustom) {
        out += ",";
        for (Eigen::Index i = 0; i < spec.custom.size(); ++i) out += spec.custom.data()[i] ? '1' : '0';
      }
    }
  out += message(" task=", task_name(t.kind), " task.n=", t.n, " symbols=", t.symbols, " min_length=", t.min_length,
                 " max_length=", t.max_length, " pairs=", t.pairs, " keys=", t.keys, " values=", t.values);
  out += " seed=" + std::to_string(config.seed) + " run=" + std::to_string(config.run);
  out += message(" steps=", config.steps, " batch=", config.batch);
  out += " learning_rate=" + text(o.learning_rate) + " beta1=" + text(o.beta1) + " beta2=" + text(o.beta2) +
         " eps=" + text(o.eps) + " weight_decay=" + text(o.weight_decay) + " warmup_fraction=" +
         text(o.warmup_fraction) + " final_fraction=" + text(o.final_fraction) + " clip_norm=" + text(o.clip_norm);
  return out;
}

constexpr char kSaveMagic[] = "attnrank-lab-run";
constexpr int kSaveVersion = 1;

void put_u64(std::string& out, std::uint64_t value) {
  for (int b = 0; b < 8; ++b) out += static_cast<char>((value >> (8 * b)) & 0xff);
}

void put_floats(std::string& out, const std::vector<float>& values, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t bits = 0;
    if (i < values.size()) std::memcpy(&bits, &values[i], sizeof bits);  // empty moments are zeros
    for (int b = 0; b < 4; ++b) out += static_cast<char>((bits >> (8 * b)) & 0xff);
  }
}

std::uint64_t get_u64(const std::string& in, std::size_t at) {
  std::uint64_t value = 0;
  for (int b = 0; b < 8; ++b) value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[at + b])) << (8 * b);
  return value;
}

std::vector<float> get_floats(const std::string& in, std::size_t at, std::size_t count) {
  std::vector<float> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t bits = 0;
    for (int b = 0; b < 4; ++b) bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + 4 * i + b])) << (8 * b);
    std::memcpy(&values[i], &bits, sizeof bits);
  }
  return values;
}

// The first "key=value" word where two fingerprints differ, as "saved run has X, this run Y".
std::string first_difference(const std::string& saved, const std::string& own) {
  std::size_t a = 0, b = 0;
  while (a < saved.size() || b < own.size()) {
    const std::size_t a_end = std::min(saved.find(' ', a), saved.size());
    const std::size_t b_end = std::min(own.find(' ', b), own.size());
    const std::string saved_word = saved.substr(a, a_end - a), own_word = own.substr(b, b_end - b);
    if (saved_word != own_word) {
      return message("saved run has ", saved_word.empty() ? "nothing more" : saved_word, ", this run ",
                     own_word.empty() ? "nothing more" : own_word);
    }
    a = a_end + 1;
    b = b_end + 1;
  }
  return "saved run differs";
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
    fail(ErrorCode::kInvalidArgument, "vocab", message("vocab=", config_.model.vocab, " differs from task=",
                                              task_name(config_.task.kind), "'s vocabulary of ", task_.vocab()));
  }
  config_.optimizer = scheduled(config_);
  model_.init(init_seed(config_.seed, config_.run));
  record_checkpoint(std::nullopt);
}

double Trainer::step() {
  // The run's state, not a parameter: no param.
  if (is_stopped_) fail(ErrorCode::kInvalidArgument, message("run is stopped at step ", steps_taken_));
  if (steps_taken_ >= config_.steps) {
    fail(ErrorCode::kInvalidArgument, "steps", message("run has taken all its steps=", config_.steps));
  }
  task_.batch(config_.seed, config_.run, StreamDomain::kTrain, static_cast<std::uint64_t>(steps_taken_),
              config_.batch, tokens_, targets_);
  double loss = 0;
  try {
    loss = model_.forward(tokens_.data(), targets_.data(), config_.batch);
  } catch (const Error& error) {  // a linear head's guard (ops.h): add where the run was
    if (error.code() != ErrorCode::kNumericalFailure) throw;
    // Numerical failures here and below are the trained weights' doing, no single parameter's.
    fail(ErrorCode::kNumericalFailure, message(error.what(), " at step ", steps_taken_, " (task=",
                                               task_name(config_.task.kind), ", seed=",
                                               static_cast<double>(config_.seed), ")"));
  }
  if (!std::isfinite(loss)) {
    fail(ErrorCode::kNumericalFailure, message("loss=", loss, " at step ", steps_taken_, " (task=",
                                               task_name(config_.task.kind), ", seed=",
                                               static_cast<double>(config_.seed), ")"));
  }
  model_.backward();
  adamw_step(config_.optimizer, model_.layout(), model_.parameters(), model_.gradients(), adam_);
  ++steps_taken_;
  last_loss_ = loss;
  if (steps_taken_ % config_.checkpoint_interval == 0 || steps_taken_ == config_.steps) record_checkpoint(loss);
  return loss;
}

void Trainer::stop() {
  if (is_stopped_) return;
  is_stopped_ = true;
  if (checkpoints_.empty() || checkpoints_.back().step != steps_taken_) record_checkpoint(last_loss_);
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
    if (!std::isfinite(loss)) {  // the weights' doing, no single parameter's
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
  if (is_permutation_equivariant(config_.model)) {
    // A fixed shuffle (partial Fisher-Yates over the probe's key, step 1 so it is not the probe's draw).
    std::vector<int> perm(n);
    for (int i = 0; i < n; ++i) perm[i] = i;
    CounterStream stream(StreamKey{config_.seed, config_.run, StreamDomain::kProbe, 1, 0});
    for (int i = 0; i + 1 < n; ++i) std::swap(perm[i], perm[i + stream.below(n - i)]);
    checkpoint.permutation_error = permutation_error(model_, tokens.data(), targets.data(), perm);
  }
  recompute_ranks_f64(tokens, targets, checkpoint);
  checkpoints_.push_back(std::move(checkpoint));
  check_checkpoint_invariants(config_.model, checkpoints_.back());
}

void Trainer::recompute_ranks_f64(const std::vector<int>& tokens, const std::vector<int>& targets,
                                  Checkpoint& checkpoint) {
  bool is_needed = false;
  for (const HeadCheckpoint& head : checkpoint.heads) is_needed = is_needed || has_rank_bound(config_.model, head.layer, head.head);
  if (!is_needed) return;
  if (!probe_f64_) probe_f64_.emplace(config_.model);
  const std::vector<float>& weights = model_.parameters();
  std::vector<double>& promoted = probe_f64_->parameters();
  for (std::size_t i = 0; i < weights.size(); ++i) promoted[i] = static_cast<double>(weights[i]);
  probe_f64_->forward(tokens.data(), targets.data(), 1);
  const int n = config_.model.n;
  for (HeadCheckpoint& head : checkpoint.heads) {
    if (!has_rank_bound(config_.model, head.layer, head.head)) continue;
    const MatrixXd a = Eigen::Map<const MatrixXd>(probe_f64_->attention(head.layer, 0, head.head), n, n);
    head.recomputed_rank_f64 = compute_rank_stats(a).numerical_rank_f64.value_or(n);
  }
}

std::string Trainer::save() const {
  std::string out = message(kSaveMagic, " ", kSaveVersion, "\n", run_fingerprint(config_), "\n");
  const std::size_t count = model_.parameters().size();
  put_u64(out, static_cast<std::uint64_t>(steps_taken_));
  put_u64(out, static_cast<std::uint64_t>(adam_.steps));
  put_u64(out, static_cast<std::uint64_t>(count));
  put_floats(out, model_.parameters(), count);
  put_floats(out, adam_.m, count);
  put_floats(out, adam_.v, count);
  return out;
}

void Trainer::load(const std::string& bytes) {
  const std::string magic = message(kSaveMagic, " ");
  const std::size_t line1 = bytes.find('\n');
  if (bytes.compare(0, magic.size(), magic) != 0 || line1 == std::string::npos) {
    fail(ErrorCode::kInvalidFile, "load", "not a saved lab run (it does not start with 'attnrank-lab-run')");
  }
  const std::string version = bytes.substr(magic.size(), line1 - magic.size());
  if (version != std::to_string(kSaveVersion)) {
    fail(ErrorCode::kInvalidFile, "load",
         message("saved run has format version ", version, ", this build reads version ", kSaveVersion));
  }
  const std::size_t line2 = bytes.find('\n', line1 + 1);
  if (line2 == std::string::npos) fail(ErrorCode::kInvalidFile, "load", "saved run is truncated in its header");
  const std::string saved = bytes.substr(line1 + 1, line2 - line1 - 1), own = run_fingerprint(config_);
  if (saved != own) fail(ErrorCode::kInvalidArgument, "load", first_difference(saved, own));
  const std::size_t at = line2 + 1, count = model_.parameters().size();
  const std::size_t expected = at + 3 * 8 + 3 * 4 * count;
  if (bytes.size() != expected) {
    fail(ErrorCode::kInvalidFile, "load", message("saved run has ", bytes.size(), " bytes, expected ", expected,
                                                  " (truncated or not of this configuration)"));
  }
  const std::uint64_t steps_taken = get_u64(bytes, at), adam_steps = get_u64(bytes, at + 8);
  if (get_u64(bytes, at + 16) != count || steps_taken > static_cast<std::uint64_t>(config_.steps) ||
      adam_steps != steps_taken) {
    fail(ErrorCode::kInvalidFile, "load", message("saved run's step=", steps_taken, " or parameter count is inconsistent"));
  }
  const std::size_t data = at + 24;
  model_.parameters() = get_floats(bytes, data, count);
  adam_.m = get_floats(bytes, data + 4 * count, count);
  adam_.v = get_floats(bytes, data + 8 * count, count);
  adam_.steps = static_cast<int>(adam_steps);
  steps_taken_ = static_cast<int>(steps_taken);
  is_stopped_ = false;
  last_loss_.reset();
  checkpoints_.clear();
  record_checkpoint(std::nullopt);
}

bool is_permutation_equivariant(const ModelConfig& config) {
  if (config.positions != Positions::kNone) return false;
  for (const auto& layer : config.masks)
    for (const MaskSpec& spec : layer)
      if (spec.kind != PatternKind::kBidirectional) return false;
  return true;
}

double permutation_error(Model<float>& model, const int* tokens, const int* targets, const std::vector<int>& perm) {
  const int n = model.config().n, vocab = model.config().vocab;
  std::vector<bool> seen(n, false);
  if (static_cast<int>(perm.size()) != n) {
    fail(ErrorCode::kInvalidArgument, "perm", message("perm has ", static_cast<int>(perm.size()), " entries, expected n=", n));
  }
  for (int p : perm) {
    if (p < 0 || p >= n || seen[p]) fail(ErrorCode::kInvalidArgument, "perm", message("perm is not a permutation of 0..", n - 1));
    seen[p] = true;
  }
  model.forward(tokens, targets, 1);
  const std::vector<float> logits = model.logits();
  std::vector<int> permuted_tokens(n), permuted_targets(n);
  for (int i = 0; i < n; ++i) {
    permuted_tokens[i] = tokens[perm[i]];
    permuted_targets[i] = targets[perm[i]];
  }
  model.forward(permuted_tokens.data(), permuted_targets.data(), 1);
  const std::vector<float>& permuted = model.logits();
  double largest = 0, difference = 0;
  for (int i = 0; i < n; ++i)
    for (int v = 0; v < vocab; ++v) {
      const double original = logits[static_cast<std::size_t>(perm[i]) * vocab + v];
      largest = std::max(largest, std::fabs(original));
      difference = std::max(difference, std::fabs(permuted[static_cast<std::size_t>(i) * vocab + v] - original));
    }
  return largest > 0 ? difference / largest : difference;
}

}  // namespace attnrank::lab
