// The lab's trainer (design-lab.md sections 4-6): one run = (model config, task, seed, run index, steps,
// batch, AdamW schedule). step() draws the batch of (seed, run, step) from the task's counter-based stream,
// takes one forward, backward and AdamW update of the float model, and refuses a non-finite loss with a
// named error (kNumericalFailure), never a silent NaN. At step 0, every `checkpoint_interval` steps and at
// the last step it records a checkpoint: the held-out loss (and accuracy for mqar, copy, reverse) over
// fixed held-out batches, and, on a fixed probe sequence, every layer's and head's attention matrix and
// its rank statistics through the core (rank_stats.h on the f64-promoted matrix: effective, stable and
// 99%-energy rank, numerical rank at f32 and f64 tolerance, sigma_min and its floor flag, kappa,
// structural full rank), and, for a model without positions whose heads are all bidirectional, section 5's
// permutation check; every checkpoint is then checked against section 5's learned-matrix invariants
// (invariants.h: a violation is kNumericalFailure). stop() ends a run early and records a checkpoint of
// the step it stopped at (unless one is there), so a stopped run keeps its last state; save() and load() carry a run's
// whole state (weights, AdamW's moments, the step) so a loaded run continues bit for bit. Not here: CLI,
// dumps, files (save() gives bytes).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attnrank/base/glossary.h"
#include "attnrank/base/memory_estimate.h"
#include "attnrank/stats/rank_stats.h"
#include "attnrank/lab/model.h"
#include "attnrank/lab/optimizer.h"
#include "attnrank/lab/tasks.h"

namespace attnrank::lab {

struct RunConfig {
  ModelConfig model;
  TaskConfig task;          // task.n is the model's n
  std::uint64_t seed = 1;   // init and data
  std::uint64_t run = 0;    // a further key of the data stream (and the init), e.g. a grid's index
  int steps = 100;          // S, also the schedule's total_steps
  int batch = 16;           // B
  AdamWConfig optimizer;    // total_steps is overwritten by steps
  int checkpoint_interval = 50;  // K
  int heldout_batches = 4;       // held-out examples = heldout_batches * batch
  // The run's peak memory estimate (run_memory.h) must fit, or the trainer refuses it (kTooLarge) before
  // allocating; the CLI's --memory-limit.
  int memory_budget_mib = kDefaultMemoryBudgetMiB;
};

struct HeadCheckpoint {
  int layer = 0;
  int head = 0;
  MatrixXd attention;  // (n, n) of the probe sequence, promoted from float; row i = query i's weights
  RankStats stats;     // compute_rank_stats(attention)
  // Bidirectional linear heads only (invariants.h's rank bound): the numerical rank at f64 tolerance of
  // this head's probe attention recomputed by Model<double> from the float weights; empty otherwise.
  std::optional<int> recomputed_rank_f64;
};

struct Checkpoint {
  int step = 0;                          // optimizer steps taken
  std::optional<double> train_loss;      // the last step's batch loss (none at step 0)
  double heldout_loss = 0;               // mean cross-entropy over every held-out target
  std::optional<double> heldout_accuracy;  // mqar, copy, reverse: argmax == target over held-out targets
  std::vector<HeadCheckpoint> heads;     // layer-major, then head
  // Without positions and with every head bidirectional (is_permutation_equivariant): the probe's
  // permutation_error under a fixed permutation (drawn from the probe's key); empty otherwise.
  std::optional<double> permutation_error;
};

struct HeldOutResult {
  double loss = 0;
  double accuracy = 0;
  long long targets = 0;
};

class Trainer {
 public:
  // Validates the model config, the task and the schedule (kInvalidArgument naming the field: steps,
  // batch, checkpoint_interval, heldout_batches out of range) and the memory estimate against
  // memory_budget_mib (kTooLarge, run_memory.h); inits the model from (seed, run) and
  // records the step-0 checkpoint. corpus: the corpus tasks' text (make_corpus), may be null otherwise.
  Trainer(const RunConfig& config, std::shared_ptr<const Corpus> corpus);

  // One optimizer step; returns the batch loss. Throws kInvalidArgument after the last step or stop(),
  // kNumericalFailure "loss=nan at step s (task ...)" when the loss is not finite (the model's weights
  // are then left as they were before the step).
  // After recording a checkpoint, the learned-matrix invariants (invariants.h) are checked: a violation
  // throws kNumericalFailure; the step's update is then kept and the checkpoint recorded.
  double step();
  // Ends the run; records a checkpoint at steps_taken() (with the last step's train loss) unless the last
  // checkpoint is already there, so nothing of a stopped run is lost. A second stop() does nothing.
  void stop();
  bool is_done() const { return is_stopped_ || steps_taken_ >= config_.steps; }
  int steps_taken() const { return steps_taken_; }

  const RunConfig& config() const { return config_; }
  const Task& task() const { return task_; }
  Model<float>& model() { return model_; }
  const Model<float>& model() const { return model_; }
  const std::vector<Checkpoint>& checkpoints() const { return checkpoints_; }
  const Checkpoint& last_checkpoint() const { return checkpoints_.back(); }

  // The held-out loss and accuracy of the current weights over heldout_batches fixed held-out batches.
  HeldOutResult evaluate_heldout();
  // The fixed probe sequence's tokens (n): held-out domain key kProbe, example 0.
  std::vector<int> probe_tokens() const;

  // The run's state after steps_taken() steps: a text header (format version and the configuration that
  // decides the weights: model, task, seed, run, steps, batch, optimizer) then, little-endian (the same
  // bytes natively and in wasm), the step, AdamW's step count and the float parameters and moments m, v.
  std::string save() const;
  // Restores a save() of the same configuration (checkpoint_interval and heldout_batches may differ):
  // steps taken K, weights and AdamW state, so stepping on gives the bits of a run never interrupted.
  // The checkpoints restart with one at step K (without a train loss). Throws kInvalidFile naming what
  // is wrong (not a saved run, version, truncated) and kInvalidArgument for another configuration
  // ("saved run has seed=5, this run seed=6"); the trainer is unchanged when it throws.
  void load(const std::string& bytes);

 private:
  void record_checkpoint(std::optional<double> train_loss);
  // The bidirectional linear heads' numerical rank at f64 tolerance, recomputed in double (probe_f64_).
  void recompute_ranks_f64(const std::vector<int>& tokens, const std::vector<int>& targets, Checkpoint& checkpoint);

  RunConfig config_;
  std::shared_ptr<const Corpus> corpus_;
  Task task_;
  Model<float> model_;
  AdamWState<float> adam_;
  int steps_taken_ = 0;
  bool is_stopped_ = false;
  std::optional<double> last_loss_;  // the last step's loss (none at step 0 and after a load)
  std::vector<Checkpoint> checkpoints_;
  std::optional<Model<double>> probe_f64_;  // made at the first checkpoint that needs it
  std::vector<int> tokens_, targets_;
};

// Section 5's invariant without positions: a model with positions = none and every head bidirectional is
// permutation-equivariant, logits(x o perm) = logits(x) o perm (perm acting on the rows).
bool is_permutation_equivariant(const ModelConfig& config);
// One sequence (tokens, targets: n) through the model as given and permuted (row i of the permuted input
// is row perm[i] of the input): max_i,v |logits'(i, v) - logits(perm[i], v)| / max |logits|. Rounding only
// for an equivariant model (the sums over keys run in another order): ~1e-7 in float. Leaves the model's
// activations to the permuted forward. perm must be a permutation of 0..n-1 (kInvalidArgument).
double permutation_error(Model<float>& model, const int* tokens, const int* targets, const std::vector<int>& perm);

// The model's init seed for (seed, run): run 0 keeps the seed itself, so a run's init matches
// Model::init(seed) elsewhere; other runs mix it through SplitMix64.
std::uint64_t init_seed(std::uint64_t seed, std::uint64_t run);

}  // namespace attnrank::lab
