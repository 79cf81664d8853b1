// What a lab run gives out, as data (the core does no I/O; the CLI writes it): one result tree per
// checkpoint (the CLI's JSONL line and CSV rows: the keys below, defined once here) and design-lab.md
// section 7's dump of one step's whole state as (relative path, bytes) pairs. Not here: files, text
// formatting of numbers (the CLI's report.h), progress and timing (nothing here depends on the clock, so
// a run's records are the same bytes every time).
#pragma once

#include <string>
#include <vector>

#include "attnrank/io/result_fields.h"
#include "attnrank/lab/trainer.h"

namespace attnrank::lab {

// The run a checkpoint belongs to, as its record names it.
struct RunLabel {
  std::string config;     // the grid entry, "masks:attention" (run_layout.h)
  std::string masks;      // the --masks text
  std::string attention;  // the --attention text
};

// {task, config, masks, attention, objective, seed, run, steps, batch, step, learning_rate (of the step
// just taken; null at step 0 and after a load), train_loss (null likewise), heldout_loss, heldout_accuracy
// (null for corpus tasks), baseline (unigram entropy in nats for corpus tasks, chance accuracy otherwise),
// permutation_error (null unless the model is permutation-equivariant: trainer.h), heads: [{layer, head,
// pattern, attention, then rank_stats_result's keys without singular_values}]}.
ResultValue checkpoint_result(const Trainer& trainer, const RunLabel& label, const Checkpoint& checkpoint);

struct DumpFile {
  std::string path;   // relative to the dump directory: "config.json", "params/tok_emb.npy", ...
  std::string bytes;
};

// Section 7 at the trainer's current step s = steps_taken(): the batch training step s draws (the
// training stream of (seed, run, s)), one forward and backward of the current weights on it (no update;
// the model's gradients are overwritten, its weights and AdamW state untouched, so training continues
// bit for bit). config.json has section 7's keys plus task, objective, batch, run and dtype "float32";
// params/ and grads/ float32 C order in the layout's names and shapes ((D,) for LN vectors); tokens.npy and
// targets.npy int32 (B, n), targets -1 where no loss is taken; loss.json the loss before the update.
std::vector<DumpFile> dump_files(Trainer& trainer);

}  // namespace attnrank::lab
