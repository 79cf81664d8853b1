// `attnrank train`: trains the lab's tiny transformers (design-lab.md sections 1-4, src/core/lab) and
// writes one record per checkpoint: JSONL (one line each, lab/run_output.h's keys) or CSV (one row per
// checkpoint and head). Progress and speed go to stderr, so the records are the same bytes for the same
// options. A grid (--configs, --seeds) runs its configurations one after another in this process; for one
// process per configuration, run the command once per --list-configs line (README: xargs -P). --save and
// --load carry one run (weights, AdamW state, step: Trainer::save/load) across processes, bit for bit;
// --dump-dir writes section 7's dump of the last step. Options are read here with args.h's text readers
// (not yet the parameter registry); their defaults and checks are the core's (lab/run_request.h), shared
// with the wasm lab.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

#include "attnrank/base/errors.h"
#include "attnrank/base/pattern_registry.h"
#include "args.h"
#include "commands.h"
#include "file_io.h"
#include "lab/corpus.h"
#include "lab/run_layout.h"
#include "lab/run_output.h"
#include "lab/run_request.h"
#include "lab/trainer.h"
#include "report.h"

#ifndef ATTNRANK_LAB_CORPUS_PATH
#define ATTNRANK_LAB_CORPUS_PATH ""
#endif

namespace attnrank::cli {
namespace {

using namespace attnrank::lab;

// Options read as text (args.h), checked here with the core's words naming the parameter (the option's
// name with '_' for '-': --max-length -> max_length).
std::string param_of(const std::string& option) {
  std::string name = option;
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

// An option's value as read from its text (the range is the core's check: lab/run_request.h).
std::optional<long long> integer_option(Args& args, const std::string& option) {
  if (!args.has(option)) return std::nullopt;
  return parse_integer(param_of(option), args.text(option, ""));
}

std::optional<double> number_option(Args& args, const std::string& option) {
  if (!args.has(option)) return std::nullopt;
  return parse_number(param_of(option), args.text(option, ""));
}

std::optional<std::string> text_option(Args& args, const std::string& option) {
  if (!args.has(option)) return std::nullopt;
  return args.text(option, "");
}

int int_option(Args& args, const std::string& option, long long fallback, long long low, long long high) {
  const std::string param = param_of(option);
  const long long value = integer_option(args, option).value_or(fallback);
  if (value < low || value > high) {
    fail(ErrorCode::kInvalidArgument, param,
         fill_words("out_of_range", {{"param", param}, {"value", std::to_string(value)}, {"min", std::to_string(low)},
                                     {"max", std::to_string(high)}}));
  }
  return static_cast<int>(value);
}

std::string choice_option(Args& args, const std::string& option, const std::string& fallback,
                          const std::vector<std::string>& choices) {
  const std::string value = args.text(option, fallback);
  for (const std::string& choice : choices)
    if (value == choice) return value;
  const std::string param = param_of(option);
  fail(ErrorCode::kInvalidArgument, param,
       fill_words("unknown_choice", {{"param", param}, {"value", value}, {"choices", joined_names(choices)}}));
}

bool flag_option(Args& args, const std::string& option) {
  const std::string value = args.text(option, "false");
  if (value == "true") return true;
  if (value == "false") return false;
  fail(ErrorCode::kInvalidArgument, param_of(option),
       fill_words("not_boolean_type", {{"param", param_of(option)}, {"value", "\"" + value + "\""}, {"type", "string"}}));
}

struct TrainOptions {
  RunBase base;                    // every run's configuration but masks, kinds and seed (run_request.h)
  std::vector<RunVariant> variants;
  std::vector<std::uint64_t> seeds;
  int stop_after = 0;               // 0: run all steps
  std::string format, out_path, save_path, load_path, dump_dir, corpus_path;
  bool is_quiet = false, list_configs = false;
};

TrainOptions parse_options(const std::vector<std::string>& argv) {
  Args args(argv, {"quiet", "list-configs"});
  TrainOptions o;
  RunRequest r;
  r.task = text_option(args, "task");
  r.n = integer_option(args, "n");
  r.width = integer_option(args, "width");
  r.heads = integer_option(args, "heads");
  r.layers = integer_option(args, "layers");
  r.positions = text_option(args, "positions");
  r.prefix = integer_option(args, "prefix");
  r.window = integer_option(args, "window");
  r.symbols = integer_option(args, "symbols");
  r.max_length = integer_option(args, "max-length");
  r.min_length = integer_option(args, "min-length");
  r.pairs = integer_option(args, "pairs");
  r.keys = integer_option(args, "keys");
  r.values = integer_option(args, "values");
  r.steps = integer_option(args, "steps");
  r.batch = integer_option(args, "batch");
  r.checkpoint_every = integer_option(args, "checkpoint-every");
  r.heldout_batches = integer_option(args, "heldout-batches");
  r.run = integer_option(args, "run");
  r.learning_rate = number_option(args, "learning-rate");
  r.warmup_fraction = number_option(args, "warmup-fraction");
  r.final_fraction = number_option(args, "final-fraction");
  r.weight_decay = number_option(args, "weight-decay");
  r.clip_norm = number_option(args, "clip-norm");
  o.base = run_base(r);
  // The trainer refuses a run whose memory estimate is over it (lab/run_memory.h), before allocating.
  const long long budget = integer_option(args, "memory-limit").value_or(kDefaultMemoryBudgetMiB);
  require_in_range(kMemoryBudgetRange.name, budget, kMemoryBudgetRange.min, kMemoryBudgetRange.max);
  o.base.config.memory_budget_mib = static_cast<int>(budget);
  const TaskKind task = o.base.config.task.kind;
  o.stop_after = int_option(args, "stop-after", 0, 0, o.base.config.steps);

  // Configurations: --masks/--attention (one), or --configs LIST ("task": section 3's comparison).
  if (args.has("configs") && (args.has("masks") || args.has("attention"))) {
    fail(ErrorCode::kInvalidArgument, "configs", "--configs lists masks:attention entries; give it or --masks/--attention");
  }
  const std::vector<RunVariant> compared = task_variants(task);
  const std::string configs = args.text("configs", "");
  if (configs == "task") {
    o.variants = compared;
  } else if (args.has("configs")) {
    for (const std::string& entry : split_list(configs)) o.variants.push_back(parse_variant(entry));
  } else {
    RunVariant variant;
    variant.masks = args.text("masks", compared.front().masks);
    variant.attention = args.text("attention", "softmax");
    o.variants.push_back(variant);
  }
  if (args.has("seed") && args.has("seeds")) fail(ErrorCode::kInvalidArgument, "seeds", "give --seed or --seeds, not both");
  for (const std::string& text : split_list(args.text("seeds", args.text("seed", "1")))) {
    const std::string param = args.has("seeds") ? "seeds" : "seed";
    const long long seed = parse_integer(param, text);
    if (seed < 0 || seed > kRunMaxSeed) {
      fail(ErrorCode::kInvalidArgument, param,
           fill_words("out_of_range", {{"param", param}, {"value", text}, {"min", "0"}, {"max", std::to_string(kRunMaxSeed)}}));
    }
    o.seeds.push_back(static_cast<std::uint64_t>(seed));
  }
  o.format = choice_option(args, "format", "jsonl", {"jsonl", "csv"});
  o.out_path = args.text("out", "");
  o.save_path = args.text("save", "");
  o.load_path = args.text("load", "");
  o.dump_dir = args.text("dump-dir", "");
  const char* env_corpus = std::getenv("ATTNRANK_CORPUS");
  o.corpus_path = args.text("corpus", env_corpus != nullptr ? env_corpus : ATTNRANK_LAB_CORPUS_PATH);
  o.is_quiet = flag_option(args, "quiet");
  o.list_configs = flag_option(args, "list-configs");
  args.reject_unused();
  const std::size_t runs = o.variants.size() * o.seeds.size();
  for (const auto& [option, value] : {std::pair<std::string, const std::string*>{"save", &o.save_path},
                                      {"load", &o.load_path}, {"dump-dir", &o.dump_dir}}) {
    if (!value->empty() && runs != 1) {
      fail(ErrorCode::kInvalidArgument, param_of(option),
           message("--", option, " takes one run, this call has ", static_cast<int>(runs), " (configs x seeds)"));
    }
  }
  return o;
}

std::shared_ptr<const Corpus> load_corpus(const TrainOptions& o) {
  const TaskKind kind = o.base.config.task.kind;
  if (!is_corpus_task(kind)) return nullptr;
  if (o.corpus_path.empty() || !std::filesystem::exists(o.corpus_path)) {
    fail_missing_corpus(kind, "no file at '" + o.corpus_path + "' (give --corpus FILE or ATTNRANK_CORPUS)");
  }
  return std::make_shared<const Corpus>(make_corpus(read_file(o.corpus_path)));
}

// CSV: one row per checkpoint and head, the record's scalars then the head's; the header once.
void write_csv(std::ostream& out, const ResultValue& record, bool with_header) {
  const ResultValue* heads = record.find("heads");
  std::vector<std::string> keys, cells;
  for (const auto& [key, value] : record.members)
    if (key != "heads") keys.push_back(key);
  if (with_header) {
    std::string line;
    for (const std::string& key : keys) line += key + ",";
    for (const auto& [key, value] : heads->items.front().members) line += key + ",";
    line.pop_back();
    out << line << "\n";
  }
  std::string common;
  for (const std::string& key : keys) common += csv_cell(*record.find(key)) + ",";
  for (const ResultValue& head : heads->items) {
    std::string line = common;
    for (const auto& [key, value] : head.members) line += csv_cell(value) + ",";
    line.pop_back();
    out << line << "\n";
  }
}

}  // namespace

namespace {
// The records' output failed (checked after every record and at the close, as write_file checks its
// writes): exit non-zero naming the file (or stdout) and the reason.
[[noreturn]] void fail_output(const std::string& path) {
  const int error_number = errno;
  fail(ErrorCode::kInvalidFile, "out",
       (path.empty() ? std::string("stdout") : printable(path, kPathEchoLimit)) + ": write error (" +
           (error_number != 0 ? std::strerror(error_number) : "the stream failed") + ")");
}
}  // namespace

int run_train(const std::vector<std::string>& argv, std::ostream& stdout_stream) {
  const TrainOptions o = parse_options(argv);
  if (o.list_configs) {
    for (const RunVariant& variant : o.variants) stdout_stream << variant.name() << "\n";
    return 0;
  }
  const std::shared_ptr<const Corpus> corpus = load_corpus(o);
  std::ofstream file;
  if (!o.out_path.empty()) {
    file.open(o.out_path, std::ios::binary | std::ios::trunc);
    if (!file) fail(ErrorCode::kInvalidFile, "out", o.out_path + ": cannot open file for writing");
  }
  std::ostream& out = o.out_path.empty() ? stdout_stream : file;
  bool is_first_record = true;
  for (const RunVariant& variant : o.variants)
    for (const std::uint64_t seed : o.seeds) {
      const RunConfig config = run_config(o.base, variant, seed, corpus);
      Trainer trainer = with_run_param([&] { return Trainer(config, corpus); });
      if (!o.load_path.empty()) trainer.load(read_file(o.load_path));
      const RunLabel label{variant.name(), variant.masks, variant.attention};
      const auto started = std::chrono::steady_clock::now();
      const int first_step = trainer.steps_taken();
      std::size_t written = 0;
      const auto emit = [&] {
        for (; written < trainer.checkpoints().size(); ++written) {
          const Checkpoint& checkpoint = trainer.checkpoints()[written];
          const ResultValue record = checkpoint_result(trainer, label, checkpoint);
          if (o.format == "csv") {
            write_csv(out, record, is_first_record);
          } else {
            out << to_json(record) << "\n";
          }
          out.flush();
          if (!out) fail_output(o.out_path);  // a full disk, /dev/full, a closed pipe: never a silent loss
          is_first_record = false;
          if (o.is_quiet) continue;
          const double seconds =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          const int steps = checkpoint.step - first_step;
          char line[256];
          std::snprintf(line, sizeof line, "train %s %s seed %llu: step %d/%d train %s held-out %.4g%s | %.1f steps/s\n",
                        task_name(config.task.kind), label.config.c_str(), static_cast<unsigned long long>(seed),
                        checkpoint.step, config.steps,
                        checkpoint.train_loss ? short_number(*checkpoint.train_loss, 4).c_str() : "-",
                        checkpoint.heldout_loss,
                        checkpoint.heldout_accuracy ? message(" acc ", short_number(*checkpoint.heldout_accuracy, 3)).c_str() : "",
                        seconds > 0 && steps > 0 ? steps / seconds : 0.0);
          std::cerr << line;
        }
      };
      emit();
      while (!trainer.is_done()) {
        if (o.stop_after > 0 && trainer.steps_taken() >= o.stop_after) {
          trainer.stop();  // records a checkpoint at the stop (trainer.h): nothing of the run is lost
          emit();
          break;
        }
        trainer.step();
        emit();
      }
      if (!o.save_path.empty()) write_file(o.save_path, trainer.save());
      if (!o.dump_dir.empty()) {
        for (const DumpFile& dump : dump_files(trainer)) {
          const std::filesystem::path path = std::filesystem::path(o.dump_dir) / dump.path;
          std::filesystem::create_directories(path.parent_path());
          write_file(path.string(), dump.bytes);
        }
      }
    }
  if (file.is_open()) {
    file.close();
    if (!file) fail_output(o.out_path);
  }
  return 0;
}

}  // namespace attnrank::cli
