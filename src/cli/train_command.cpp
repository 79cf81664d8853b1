// `attnrank train`: trains the lab's tiny transformers (design-lab.md sections 1-4, src/core/lab) and
// writes one record per checkpoint: JSONL (one line each, lab/run_output.h's keys) or CSV (one row per
// checkpoint and head). Progress and speed go to stderr, so the records are the same bytes for the same
// options. A grid (--configs, --seeds) runs its configurations one after another in this process; for one
// process per configuration, run the command once per --list-configs line (README: xargs -P). --save and
// --load carry one run (weights, AdamW state, step: Trainer::save/load) across processes, bit for bit;
// --dump-dir writes section 7's dump of the last step. Options are parsed here with args.h's text readers
// (not yet the parameter registry).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

int int_option(Args& args, const std::string& option, long long fallback, long long low, long long high) {
  const std::string param = param_of(option);
  const std::string given = args.text(option, "");
  const long long value = args.has(option) ? parse_integer(param, given) : fallback;
  if (value < low || value > high) {
    fail(ErrorCode::kInvalidArgument, param,
         fill_words("out_of_range", {{"param", param}, {"value", std::to_string(value)}, {"min", std::to_string(low)},
                                     {"max", std::to_string(high)}}));
  }
  return static_cast<int>(value);
}

double number_option(Args& args, const std::string& option, double fallback, double low, double high) {
  const std::string param = param_of(option);
  const std::string given = args.text(option, "");
  const double value = args.has(option) ? parse_number(param, given) : fallback;
  if (!(value >= low && value <= high)) {
    fail(ErrorCode::kInvalidArgument, param,
         fill_words("out_of_range", {{"param", param}, {"value", format_json_number(value)},
                                     {"min", format_json_number(low)}, {"max", format_json_number(high)}}));
  }
  return value;
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

// The lab names most of its errors' parameters in the message only ("n=64 is too small for copy ...",
// "steps=0 is outside ..."): such an error gets the word before its first '=' as its param.
template <typename Body>
auto with_param(Body body) -> decltype(body()) {
  try {
    return body();
  } catch (const Error& error) {
    if (!error.param().empty()) throw;
    const std::string text = error.what();
    const std::size_t equals = text.find('=');
    std::string param = equals == std::string::npos ? "" : text.substr(0, equals);
    if (param.rfind("task ", 0) == 0) param = param.substr(5);  // "task n=..."
    if (param.find_first_of(" ,:()") != std::string::npos) param.clear();
    throw Error(error.code(), param, text);
  }
}

struct TrainOptions {
  RunConfig base;                  // every run's configuration but masks, kinds and seed
  std::vector<RunVariant> variants;
  std::vector<std::uint64_t> seeds;
  std::optional<int> prefix, window;  // given, else the task's p and the core's default w
  int stop_after = 0;               // 0: run all steps
  std::string format, out_path, save_path, load_path, dump_dir, corpus_path;
  bool is_quiet = false, list_configs = false;
};

TrainOptions parse_options(const std::vector<std::string>& argv) {
  Args args(argv, {"quiet", "list-configs"});
  TrainOptions o;
  const TaskKind task = with_param([&] { return parse_task(args.text("task", "mlm")); });
  TaskConfig& t = o.base.task;
  t.kind = task;
  ModelConfig& m = o.base.model;
  m.n = int_option(args, "n", 64, 2, 4096);
  t.n = m.n;
  m.width = int_option(args, "width", 64, 1, 4096);
  m.heads = int_option(args, "heads", 4, 1, 4096);
  m.layers = int_option(args, "layers", 2, 1, 256);
  if (m.width % m.heads != 0) {
    fail(ErrorCode::kInvalidArgument, "heads", message("heads=", m.heads, " must divide width=", m.width));
  }
  m.positions = choice_option(args, "positions", task == TaskKind::kOrder ? "none" : "learned", {"learned", "none"}) ==
                        "learned"
                    ? Positions::kLearned
                    : Positions::kNone;
  if (args.has("prefix")) o.prefix = int_option(args, "prefix", 0, 0, m.n);
  if (args.has("window")) o.window = int_option(args, "window", 1, 1, m.n);
  t.symbols = int_option(args, "symbols", t.symbols, 2, 1 << 20);
  t.max_length = int_option(args, "max-length", std::min(t.max_length, (m.n - 1) / 2), 1, 4096);
  t.min_length = int_option(args, "min-length", std::min(t.min_length, t.max_length), 1, 4096);
  t.pairs = int_option(args, "pairs", t.pairs, 1, 1024);
  t.keys = int_option(args, "keys", t.keys, 1, 1 << 20);
  t.values = int_option(args, "values", t.values, 2, 1 << 20);

  o.base.steps = int_option(args, "steps", 1500, 1, 10000000);
  o.stop_after = int_option(args, "stop-after", 0, 0, o.base.steps);
  o.base.batch = int_option(args, "batch", 16, 1, 4096);
  o.base.checkpoint_interval = int_option(args, "checkpoint-every", 100, 1, 10000000);
  o.base.heldout_batches = int_option(args, "heldout-batches", 4, 1, 4096);
  o.base.run = static_cast<std::uint64_t>(int_option(args, "run", 0, 0, std::numeric_limits<int>::max()));
  AdamWConfig& a = o.base.optimizer;
  a.learning_rate = number_option(args, "learning-rate", 1e-3, 0, 10);
  a.warmup_fraction = number_option(args, "warmup-fraction", a.warmup_fraction, 0, 1);
  a.final_fraction = number_option(args, "final-fraction", a.final_fraction, 0, 1);
  a.weight_decay = number_option(args, "weight-decay", a.weight_decay, 0, 10);
  a.clip_norm = number_option(args, "clip-norm", a.clip_norm, 0, 1e6);

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
  const long long kMaxSeed = 1LL << 53;  // a JSON number reads it exactly
  for (const std::string& text : split_list(args.text("seeds", args.text("seed", "1")))) {
    const std::string param = args.has("seeds") ? "seeds" : "seed";
    const long long seed = parse_integer(param, text);
    if (seed < 0 || seed > kMaxSeed) {
      fail(ErrorCode::kInvalidArgument, param,
           fill_words("out_of_range", {{"param", param}, {"value", text}, {"min", "0"}, {"max", std::to_string(kMaxSeed)}}));
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
  if (!is_corpus_task(o.base.task.kind)) return nullptr;
  if (o.corpus_path.empty() || !std::filesystem::exists(o.corpus_path)) {
    fail(ErrorCode::kInvalidArgument, "corpus",
         message("task=", task_name(o.base.task.kind), " needs the corpus, extracted at build time from the Debian package ",
                 kCorpusPackage, " (scripts/austen_corpus.py); no file at '", o.corpus_path,
                 "' (give --corpus FILE or ATTNRANK_CORPUS)"));
  }
  return std::make_shared<const Corpus>(make_corpus(read_file(o.corpus_path)));
}

// One run's full configuration: the task decides the vocabulary and the prefix heads' p.
RunConfig run_config(const TrainOptions& o, const RunVariant& variant, std::uint64_t seed,
                     const std::shared_ptr<const Corpus>& corpus) {
  RunConfig config = o.base;
  config.seed = seed;
  ModelConfig& m = config.model;
  const ModelConfig probe = uniform_model_config(1, m.n, m.width, m.heads, m.layers, MaskSpec{}, HeadKind::kSoftmax, m.positions);
  const Task task = with_param([&] { return Task(config.task, corpus, probe); });
  m.vocab = task.vocab();
  const int prefix = o.prefix.value_or(task.prefix_length()), window = o.window.value_or(default_window(m.n));
  m.masks = parse_mask_layout(variant.masks, m.layers, m.heads, prefix, window);
  m.kinds = parse_kind_layout(variant.attention, m.layers, m.heads);
  return config;
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
      const RunConfig config = run_config(o, variant, seed, corpus);
      Trainer trainer = with_param([&] { return Trainer(config, corpus); });
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
          trainer.stop();
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
  return 0;
}

}  // namespace attnrank::cli
