// The lab's tasks and objectives (design-lab.md sections 2 and 3): what one training example is, made
// from a counter-based stream key (stream.h) so it depends only on (seed, run, domain, step, example).
//   corpus tasks (order, mlm, prefix, lm-vs-mlm): a window of n characters of the corpus (training split,
//     or the held-out last 10%) with the objective of the model's masks: forward -> next token (all but
//     the last position), backward -> previous token (all but the first), prefix(p) -> continuation only
//     (position i >= p - 1 predicts i + 1), anything else (bidirectional, mixtures) -> masked LM: exactly
//     max(1, round(0.15 n)) distinct positions replaced by MASK, each predicting its original. The task
//     `prefix` always takes the continuation objective with p = n / 2 (GPT vs UniLM: same targets, only
//     the mask over the input differs); `order` requires positions = none.
//   sequence tasks (copy, reverse): input x of length m in [min_length, max_length] over `symbols`
//     symbols, right-aligned in an input region of max_length (PAD before it), SEP at position
//     max_length, then the output (x or x reversed) and PAD; position max_length + t predicts output
//     token t (teacher forcing). The prefix mask for them is p = max_length + 1 (input and SEP).
//   mqar (Arora et al. 2023, Zoology): P distinct keys each with a random value, SEP, then every key once
//     more in a random order followed by its value; the query key's position predicts the value.
//     Keys and values are disjoint token ranges; p = 2 P + 1.
// Token ids: the task's symbols first, then SEP, then MASK (corpus) or PAD (sequence tasks).
// Not here: the model, the training loop, evaluation (trainer.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "attnrank/lab/corpus.h"
#include "attnrank/lab/model.h"
#include "attnrank/lab/ops.h"  // kNoTarget
#include "attnrank/lab/stream.h"

namespace attnrank::lab {

enum class TaskKind { kOrder, kMlm, kPrefix, kMqar, kLmVsMlm, kCopy, kReverse };
enum class Objective { kNextToken, kPreviousToken, kPrefixContinuation, kMaskedLm, kSequenceOutput };

// "order", "mlm", "prefix", "mqar", "lm-vs-mlm", "copy", "reverse"; unknown -> kInvalidArgument
// "task=<name> is unknown (order, mlm, ...)".
TaskKind parse_task(const std::string& name);
const char* task_name(TaskKind kind);
const char* objective_name(Objective objective);
bool is_corpus_task(TaskKind kind);
bool is_accuracy_task(TaskKind kind);  // mqar, copy, reverse: evaluated by accuracy on the targets

inline constexpr double kMaskedFraction = 0.15;  // BERT (Devlin et al. 2019, section 3.1)

struct TaskConfig {
  TaskKind kind = TaskKind::kMlm;
  int n = 64;              // sequence length, the model's n
  int symbols = 16;        // copy, reverse: alphabet size
  int min_length = 8;      // copy, reverse: input length range
  int max_length = 48;
  int pairs = 8;           // mqar: P key-value pairs
  int keys = 64;           // mqar: key vocabulary (>= pairs)
  int values = 64;         // mqar: value vocabulary
};

// Section 2's table: every head forward (or forward window) -> next token; every head backward ->
// previous token; every head prefix with one p -> continuation from p; otherwise masked LM.
Objective objective_for_masks(const ModelConfig& config);

class Task {
 public:
  // corpus: required (non-null) for corpus tasks, ignored otherwise. The objective: the model's masks'
  // (objective_for_masks, with their p) for order, mlm, lm-vs-mlm; the task's own for prefix and the
  // sequence tasks. config.n must equal model.n. Throws kInvalidArgument naming the field (n too small for
  // the task, lengths, pairs > keys, order with positions, a corpus task without a corpus naming the
  // Debian package, ...).
  Task(const TaskConfig& config, std::shared_ptr<const Corpus> corpus, const ModelConfig& model);

  const TaskConfig& config() const { return config_; }
  Objective objective() const { return objective_; }
  int vocab() const { return vocab_; }        // V of the model
  int sep_token() const { return sep_; }
  int mask_token() const { return mask_; }    // -1 for sequence tasks
  int pad_token() const { return pad_; }      // -1 for corpus tasks
  int prefix_length() const;                  // the p a prefix mask should take for this task
  // The continuation objective's p (task prefix: n / 2; otherwise the masks' p), or 0.
  int continuation_start() const { return continuation_start_; }
  // Chance level for accuracy tasks (1 / the number of possible answers), baseline entropy in nats for
  // corpus tasks (the training split's unigram entropy).
  double baseline() const;

  // One example: tokens (n) and targets (n, kNoTarget where no loss is taken).
  void example(const StreamKey& key, int* tokens, int* targets) const;
  // Examples 0..batch-1 of (seed, run, domain, step) into (batch, n) arrays.
  void batch(std::uint64_t seed, std::uint64_t run, StreamDomain domain, std::uint64_t step, int batch,
             std::vector<int>& tokens, std::vector<int>& targets) const;

 private:
  void corpus_example(CounterStream& stream, StreamDomain domain, int* tokens, int* targets) const;
  void sequence_example(CounterStream& stream, int* tokens, int* targets) const;
  void mqar_example(CounterStream& stream, int* tokens, int* targets) const;

  TaskConfig config_;
  std::shared_ptr<const Corpus> corpus_;
  Objective objective_;
  int continuation_start_ = 0;
  int vocab_ = 0, sep_ = -1, mask_ = -1, pad_ = -1;
};

}  // namespace attnrank::lab
