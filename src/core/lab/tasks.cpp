// The lab's tasks and objectives (see tasks.h).
#include "attnrank/lab/tasks.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "attnrank/base/errors.h"
#include "attnrank/lab/ops.h"

namespace attnrank::lab {
namespace {

struct TaskName {
  TaskKind kind;
  const char* name;
};
constexpr TaskName kTaskNames[] = {{TaskKind::kOrder, "order"}, {TaskKind::kMlm, "mlm"},
                                   {TaskKind::kPrefix, "prefix"}, {TaskKind::kMqar, "mqar"},
                                   {TaskKind::kLmVsMlm, "lm-vs-mlm"}, {TaskKind::kCopy, "copy"},
                                   {TaskKind::kReverse, "reverse"}};

void require_range(const char* name, int value, int low, int high) {
  if (value < low || value > high) {
    fail(ErrorCode::kInvalidArgument, name, message(name, "=", value, " is outside [", low, ", ", high, "]"));
  }
}

// Number of masked positions of the masked-LM objective: 15% of n rounded, at least one.
int masked_count(int n) {
  return std::max(1, static_cast<int>(std::floor(kMaskedFraction * n + 0.5)));
}

// The first `count` entries of a uniformly shuffled 0..size-1 (partial Fisher-Yates from the stream).
std::vector<int> draw_distinct(CounterStream& stream, int size, int count) {
  std::vector<int> items(size);
  for (int i = 0; i < size; ++i) items[i] = i;
  for (int i = 0; i < count; ++i) std::swap(items[i], items[i + stream.below(size - i)]);
  items.resize(count);
  return items;
}

}  // namespace

TaskKind parse_task(const std::string& name) {
  std::string known;
  for (const TaskName& entry : kTaskNames) {
    if (name == entry.name) return entry.kind;
    known += known.empty() ? "" : ", ";
    known += entry.name;
  }
  fail(ErrorCode::kInvalidArgument, "task", message("task=", name, " is unknown (", known, ")"));
}

const char* task_name(TaskKind kind) {
  for (const TaskName& entry : kTaskNames)
    if (entry.kind == kind) return entry.name;
  return "?";
}

const char* objective_name(Objective objective) {
  switch (objective) {
    case Objective::kNextToken: return "next-token";
    case Objective::kPreviousToken: return "previous-token";
    case Objective::kPrefixContinuation: return "prefix-continuation";
    case Objective::kMaskedLm: return "masked-lm";
    case Objective::kSequenceOutput: return "sequence-output";
  }
  return "?";
}

bool is_corpus_task(TaskKind kind) {
  return kind == TaskKind::kOrder || kind == TaskKind::kMlm || kind == TaskKind::kPrefix ||
         kind == TaskKind::kLmVsMlm;
}

bool is_accuracy_task(TaskKind kind) { return !is_corpus_task(kind); }

Objective objective_for_masks(const ModelConfig& config) {
  bool all_forward = true, all_backward = true, all_prefix = true;
  int prefix = -1;
  for (const auto& layer : config.masks)
    for (const MaskSpec& spec : layer) {
      all_forward = all_forward && (spec.kind == PatternKind::kForward || spec.kind == PatternKind::kForwardWindow);
      all_backward = all_backward && spec.kind == PatternKind::kBackward;
      all_prefix = all_prefix && spec.kind == PatternKind::kPrefix && (prefix < 0 || spec.prefix == prefix);
      if (spec.kind == PatternKind::kPrefix) prefix = spec.prefix;
    }
  if (all_forward) return Objective::kNextToken;
  if (all_backward) return Objective::kPreviousToken;
  if (all_prefix) return Objective::kPrefixContinuation;
  return Objective::kMaskedLm;
}

Task::Task(const TaskConfig& config, std::shared_ptr<const Corpus> corpus, const ModelConfig& model)
    : config_(config), corpus_(std::move(corpus)), objective_(objective_for_masks(model)) {
  const int n = config.n;
  require_range("n", n, 2, 4096);
  if (model.n != n) fail(ErrorCode::kInvalidArgument, "n", message("task n=", n, " differs from the model's n=", model.n));
  if (config.kind == TaskKind::kOrder && model.positions != Positions::kNone) {
    fail(ErrorCode::kInvalidArgument, "positions", "task=order needs positions=none (the model must learn order from the masks)");
  }
  if (is_corpus_task(config.kind)) {
    if (!corpus_ || corpus_->tokens.empty()) {
      fail(ErrorCode::kInvalidArgument, "corpus",
           message("task=", task_name(config.kind), " needs the corpus, extracted at build time from the Debian package ",
                   kCorpusPackage, " (scripts/austen_corpus.py); it is missing"));
    }
    const std::size_t held_out = corpus_->tokens.size() - corpus_->train_end;
    if (static_cast<std::size_t>(n) > held_out || static_cast<std::size_t>(n) > corpus_->train_end) {
      fail(ErrorCode::kInvalidArgument, "n", message("n=", n, " exceeds the corpus's held-out split of ",
                                                static_cast<double>(held_out), " characters"));
    }
    const int alphabet = static_cast<int>(corpus_->alphabet.size());
    sep_ = alphabet;
    mask_ = alphabet + 1;
    vocab_ = alphabet + 2;
    if (config.kind == TaskKind::kPrefix) {
      objective_ = Objective::kPrefixContinuation;
      continuation_start_ = n / 2;
    } else if (objective_ == Objective::kPrefixContinuation) {
      continuation_start_ = model.masks[0][0].prefix;  // every head shares it (objective_for_masks)
    }
    return;
  }
  objective_ = Objective::kSequenceOutput;
  if (config.kind == TaskKind::kMqar) {
    require_range("pairs", config.pairs, 1, 1024);
    require_range("keys", config.keys, config.pairs, 1 << 20);
    require_range("values", config.values, 2, 1 << 20);
    if (n < 4 * config.pairs + 1) {
      fail(ErrorCode::kInvalidArgument, "n",
           message("n=", n, " is too small for mqar with pairs=", config.pairs, " (needs 4 pairs + 1 = ",
                   4 * config.pairs + 1, ")"));
    }
    sep_ = config.keys + config.values;
  } else {
    require_range("symbols", config.symbols, 2, 1 << 20);
    require_range("min_length", config.min_length, 1, 4096);
    require_range("max_length", config.max_length, config.min_length, 4096);
    if (n < 2 * config.max_length + 1) {
      fail(ErrorCode::kInvalidArgument, "n",
           message("n=", n, " is too small for ", task_name(config.kind), " with max_length=", config.max_length,
                   " (needs 2 max_length + 1 = ", 2 * config.max_length + 1, ")"));
    }
    sep_ = config.symbols;
  }
  pad_ = sep_ + 1;
  vocab_ = sep_ + 2;
}

int Task::prefix_length() const {
  switch (config_.kind) {
    case TaskKind::kMqar: return 2 * config_.pairs + 1;
    case TaskKind::kCopy:
    case TaskKind::kReverse: return config_.max_length + 1;
    default: return config_.n / 2;
  }
}

double Task::baseline() const {
  switch (config_.kind) {
    case TaskKind::kMqar: return 1.0 / config_.values;
    case TaskKind::kCopy:
    case TaskKind::kReverse: return 1.0 / config_.symbols;
    default: return unigram_entropy(*corpus_);
  }
}

void Task::example(const StreamKey& key, int* tokens, int* targets) const {
  CounterStream stream(key);
  std::fill(targets, targets + config_.n, kNoTarget);
  if (is_corpus_task(config_.kind)) {
    corpus_example(stream, key.domain, tokens, targets);
  } else if (config_.kind == TaskKind::kMqar) {
    mqar_example(stream, tokens, targets);
  } else {
    sequence_example(stream, tokens, targets);
  }
}

void Task::batch(std::uint64_t seed, std::uint64_t run, StreamDomain domain, std::uint64_t step, int batch,
                 std::vector<int>& tokens, std::vector<int>& targets) const {
  require_range("batch", batch, 1, 1 << 16);
  const int n = config_.n;
  tokens.assign(static_cast<std::size_t>(batch) * n, 0);
  targets.assign(static_cast<std::size_t>(batch) * n, kNoTarget);
  for (int b = 0; b < batch; ++b) {
    const StreamKey key{seed, run, domain, step, static_cast<std::uint64_t>(b)};
    example(key, tokens.data() + static_cast<std::size_t>(b) * n, targets.data() + static_cast<std::size_t>(b) * n);
  }
}

void Task::corpus_example(CounterStream& stream, StreamDomain domain, int* tokens, int* targets) const {
  const int n = config_.n;
  // Training windows lie inside [0, train_end); held-out and probe windows inside [train_end, size).
  const bool is_train = domain == StreamDomain::kTrain;
  const std::size_t begin = is_train ? 0 : corpus_->train_end;
  const std::size_t end = is_train ? corpus_->train_end : corpus_->tokens.size();
  const std::size_t starts = end - begin - static_cast<std::size_t>(n) + 1;
  // One draw modulo starts: the bias is below starts / 2^64 (< 1e-12 for a corpus of millions).
  const std::size_t start = begin + static_cast<std::size_t>(stream.next_u64() % starts);
  std::copy(corpus_->tokens.begin() + static_cast<std::ptrdiff_t>(start),
            corpus_->tokens.begin() + static_cast<std::ptrdiff_t>(start) + n, tokens);
  switch (objective_) {
    case Objective::kNextToken:
      for (int i = 0; i + 1 < n; ++i) targets[i] = tokens[i + 1];
      break;
    case Objective::kPreviousToken:
      for (int i = 1; i < n; ++i) targets[i] = tokens[i - 1];
      break;
    case Objective::kPrefixContinuation:
      for (int i = std::max(continuation_start_ - 1, 0); i + 1 < n; ++i) targets[i] = tokens[i + 1];
      break;
    case Objective::kMaskedLm:
    case Objective::kSequenceOutput:
      for (int position : draw_distinct(stream, n, masked_count(n))) {
        targets[position] = tokens[position];
        tokens[position] = mask_;
      }
      break;
  }
}

void Task::sequence_example(CounterStream& stream, int* tokens, int* targets) const {
  const int n = config_.n, max_length = config_.max_length;
  const int length = config_.min_length + stream.below(max_length - config_.min_length + 1);
  std::fill(tokens, tokens + n, pad_);
  int* input = tokens + (max_length - length);  // right-aligned: the input ends just before SEP
  for (int t = 0; t < length; ++t) input[t] = stream.below(config_.symbols);
  tokens[max_length] = sep_;
  for (int t = 0; t < length; ++t) {
    const int output = config_.kind == TaskKind::kReverse ? input[length - 1 - t] : input[t];
    tokens[max_length + 1 + t] = output;
    targets[max_length + t] = output;  // position max_length + t predicts the next token
  }
}

void Task::mqar_example(CounterStream& stream, int* tokens, int* targets) const {
  const int n = config_.n, pairs = config_.pairs;
  std::fill(tokens, tokens + n, pad_);
  const std::vector<int> keys = draw_distinct(stream, config_.keys, pairs);
  std::vector<int> values(pairs);
  for (int i = 0; i < pairs; ++i) {
    values[i] = config_.keys + stream.below(config_.values);
    tokens[2 * i] = keys[i];
    tokens[2 * i + 1] = values[i];
  }
  tokens[2 * pairs] = sep_;
  const std::vector<int> order = draw_distinct(stream, pairs, pairs);
  for (int q = 0; q < pairs; ++q) {
    const int position = 2 * pairs + 1 + 2 * q;
    tokens[position] = keys[order[q]];
    tokens[position + 1] = values[order[q]];
    targets[position] = values[order[q]];
  }
}

}  // namespace attnrank::lab
