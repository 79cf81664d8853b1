// `attnrank train`: trains the lab's tiny transformers (design-lab.md sections 1-4, src/core/lab) and
// writes one record per checkpoint: JSONL (one line each, lab/run_output.h's keys) or CSV (one row per
// checkpoint and head). Progress and speed go to stderr, so the records are the same bytes for the same
// options. A grid (--configs, --seeds) runs its configurations one after another in this process; for one
// process per configuration, run the command once per --list-configs line (README: xargs -P). --save and
// --load carry one run (weights, AdamW state, step: Trainer::save/load) across processes, bit for bit;
// --dump-dir writes section 7's dump of the last step. Options are the parameter registry's train
// parameters: a run's are read through the core's table (lab/run_request.h run_request_fields(), as the
// wasm lab reads its config object) and checked by the core (run_base); the command's own (grids, files,
// output) through args.h's registry readers.
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
#include "attnrank/lab/corpus.h"
#include "attnrank/lab/experiments.h"
#include "attnrank/lab/probe_attention.h"
#include "attnrank/lab/run_records.h"
#include "attnrank/lab/verdicts.h"
#include "attnrank/lab/run_layout.h"
#include "attnrank/lab/run_output.h"
#include "attnrank/lab/run_request.h"
#include "attnrank/lab/trainer.h"
#include "report.h"

#ifndef ATTNRANK_LAB_CORPUS_PATH
#define ATTNRANK_LAB_CORPUS_PATH ""
#endif

namespace attnrank::cli {
namespace {

using namespace attnrank::lab;

constexpr RequestKind kCommand = kRequestTrain;

struct TrainOptions {
  RunBase base;                    // every run's configuration but masks, kinds and seed (run_request.h)
  std::vector<RunVariant> variants;
  std::vector<std::uint64_t> seeds;
  int stop_after = 0;               // 0: run all steps
  std::string format, out_path, save_path, load_path, dump_dir, corpus_path, attention_out;
  bool is_quiet = false, list_configs = false;
  // No training: the experiments table, or the verdicts of the records in these files (lab/verdicts.h).
  bool list_experiments = false, as_json = false;
  std::vector<std::string> verdict_files;
  std::optional<int> at_step;
};

TrainOptions parse_options(const std::vector<std::string>& argv) {
  Args args(argv, registry_flags());
  TrainOptions o;
  // A run's options: every row of the train table, checked by the core in run_base's order.
  RunRequest r;
  read_fields(run_request_fields(), kCommand, r, cli_source(args));
  o.base = run_base(r);
  const TaskKind task = o.base.config.task.kind;
  const long long stop_after = integer_param(args, "stop_after", kCommand);
  require_in_range("stop_after", stop_after, 0, o.base.config.steps);
  o.stop_after = static_cast<int>(stop_after);

  // Configurations: --masks/--attention (one: the request's variant), or --configs LIST ("task": section
  // 3's comparison).
  if (has_param(args, "configs") && (has_param(args, "masks") || has_param(args, "attention"))) {
    fail(ErrorCode::kInvalidArgument, "configs", "--configs lists masks:attention entries; give it or --masks/--attention");
  }
  const std::vector<std::string> configs =
      has_param(args, "configs") ? list_param(args, "configs", kCommand) : std::vector<std::string>{};
  if (configs == std::vector<std::string>{"task"}) {
    o.variants = task_variants(task);
  } else if (!configs.empty()) {
    for (const std::string& entry : configs) o.variants.push_back(parse_variant(entry));
  } else {
    o.variants.push_back(o.base.variant);
  }
  if (has_param(args, "seed") && has_param(args, "seeds")) {
    fail(ErrorCode::kInvalidArgument, "seeds", "give --seed or --seeds, not both");
  }
  if (has_param(args, "seeds")) {
    for (const std::string& text : list_param(args, "seeds", kCommand)) o.seeds.push_back(run_seed(parse_integer("seeds", text), "seeds"));
  } else {
    o.seeds.push_back(o.base.seed);
  }
  o.format = choice_param(args, "format", kCommand);
  o.out_path = text_param(args, "out", kCommand);
  o.save_path = text_param(args, "save", kCommand);
  o.load_path = text_param(args, "load", kCommand);
  o.dump_dir = text_param(args, "dump_dir", kCommand);
  const char* env_corpus = std::getenv("ATTNRANK_CORPUS");
  o.corpus_path = has_param(args, "corpus") ? text_param(args, "corpus", kCommand)
                                            : (env_corpus != nullptr ? env_corpus : ATTNRANK_LAB_CORPUS_PATH);
  o.is_quiet = flag_param(args, "quiet");
  o.list_configs = flag_param(args, "list_configs");
  o.attention_out = text_param(args, "attention_out", kCommand);
  o.list_experiments = flag_param(args, "list_experiments");
  o.as_json = flag_param(args, "json");
  if (has_param(args, "verdicts")) o.verdict_files = list_param(args, "verdicts", kCommand);
  if (has_param(args, "at_step")) {
    const long long step = integer_param(args, "at_step", kCommand);
    require_in_range("at_step", step, 0, kTrainStepsRange.max);
    o.at_step = static_cast<int>(step);
  }
  args.reject_unused();
  if (o.list_experiments && !o.verdict_files.empty()) {
    fail(ErrorCode::kInvalidArgument, "verdicts", "give --list-experiments or --verdicts, not both");
  }
  if (o.as_json && !o.list_experiments && o.verdict_files.empty()) {
    fail(ErrorCode::kInvalidArgument, "json", "--json is for --list-experiments and --verdicts (the records are JSONL already)");
  }
  if (o.at_step && o.verdict_files.empty()) fail(ErrorCode::kInvalidArgument, "at_step", "--at-step is for --verdicts");
  const std::size_t runs = o.variants.size() * o.seeds.size();
  for (const auto& [option, value] : {std::pair<std::string, const std::string*>{"save", &o.save_path},
                                      {"load", &o.load_path}, {"dump-dir", &o.dump_dir},
                                      {"attention-out", &o.attention_out}}) {
    if (!value->empty() && runs != 1) {
      fail(ErrorCode::kInvalidArgument, parameter_by_flag(option)->name,
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
[[noreturn]] void fail_output(const std::string& path, const char* param = "out") {
  const int error_number = errno;
  fail(ErrorCode::kInvalidFile, param,
       (path.empty() ? std::string("stdout") : printable(path, kPathEchoLimit)) + ": write error (" +
           (error_number != 0 ? std::strerror(error_number) : "the stream failed") + ")");
}
}  // namespace

namespace {
// `--list-experiments`: one line per experiment (id, claims, metric, configurations, title), or the table's
// JSON (lab_experiments).
void list_experiments(bool as_json, std::ostream& out) {
  if (as_json) {
    out << to_json(experiments_result()) << "\n";
    return;
  }
  for (const Experiment& e : experiments()) {
    std::string claims, configs;
    for (const std::string& claim : e.claims) claims += (claims.empty() ? "" : ",") + claim;
    for (const RunVariant& variant : e.configs) configs += (configs.empty() ? "" : ",") + variant.name();
    char line[160];
    std::snprintf(line, sizeof line, "%-10s %-11s %-17s ", e.id.c_str(), claims.c_str(), metric_name(e.metric));
    out << line << configs << "\n" << std::string(11, ' ') << e.title_en << "\n";
  }
}

// `--verdicts FILES`: the records of every file (JSONL), the core's verdicts as JSON or one line each.
void print_verdicts(const TrainOptions& o, std::ostream& out) {
  std::string text;
  for (const std::string& file : o.verdict_files) text += read_file(file) + "\n";
  const LabVerdictsRecord verdicts = evaluate_verdicts(read_run_records(text), o.at_step);
  if (o.as_json) {
    out << to_json(lab_verdicts_result(verdicts)) << "\n";
    return;
  }
  for (const LabComparisonVerdictRecord& c : verdicts.comparisons) out << "- " << c.text_en << "\n";
  out << "\n";
  for (const LabClaimVerdictRecord& c : verdicts.claims) out << c.text_en << "\n";
  for (const std::string& note : verdicts.borrowed) out << "(borrowed: " << note << ")\n";
}
}  // namespace

int run_train(const std::vector<std::string>& argv, std::ostream& stdout_stream) {
  const TrainOptions o = parse_options(argv);
  if (o.list_experiments) {
    list_experiments(o.as_json, stdout_stream);
    return 0;
  }
  if (!o.verdict_files.empty()) {
    print_verdicts(o, stdout_stream);
    return 0;
  }
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
  std::ofstream attention_file;
  if (!o.attention_out.empty()) {
    attention_file.open(o.attention_out, std::ios::binary | std::ios::trunc);
    if (!attention_file) fail(ErrorCode::kInvalidFile, "attention_out", o.attention_out + ": cannot open file for writing");
  }
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
          if (attention_file.is_open()) {
            attention_file << to_json(probe_attention_result(trainer, label, checkpoint)) << "\n";
            attention_file.flush();
            if (!attention_file) fail_output(o.attention_out, "attention_out");
          }
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
  if (attention_file.is_open()) {
    attention_file.close();
    if (!attention_file) fail_output(o.attention_out, "attention_out");
  }
  return 0;
}

}  // namespace attnrank::cli
