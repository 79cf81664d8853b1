// The training lab in wasm (design-lab.md section 6, issue 15 item 6): runs held by this module instance,
// each named by an integer id.
//   lab_set_corpus(text: Uint8Array | string) -> {tokens, symbols}: the corpus tasks' text (the page
//     fetches it; FILESYSTEM=0), kept for every later run of this instance
//   lab_start(config) -> {id, step, steps, vocab, parameters, memory_bytes}: the config object of
//     `attnrank train`'s options (the registry's train parameters, keys and rows of lab/run_request.h's
//     table, read by read_config as every config object is; the same defaults, checks and words:
//     run_base), masks, attention, seed and memory_budget_mib (default 1024) included: the trainer
//     estimates the run's memory (lab/run_memory.h) and refuses it over the budget (too_large) before
//     anything of it is allocated
//   lab_advance(id, steps) -> {step, steps, is_done, checkpoints}: up to `steps` optimizer steps; a
//     finished run takes none (is_done); a run ended early by lab_stop is an error (invalid_argument,
//     param id: it was stopped, lab_load a saved state into it to go on), never a silent no-op
//   lab_checkpoints(id, from) -> [record...]: the records `attnrank train` writes as JSONL (run_output.h),
//     checkpoints from index `from` on
//   lab_attention(id) -> {step, n, tokens, heads: [{layer, head, pattern, attention, matrix}]}: the probe
//     sequence's attention per layer and head at the last checkpoint (row-major Float64Array n*n copies)
//   lab_save(id) -> Uint8Array, lab_load(id, bytes) -> {step, steps, is_done, checkpoints}: Trainer::save/load
//   lab_stop(id) -> {step, steps, is_done, checkpoints}; lab_destroy(id) -> true (false when there was no such run)
//   lab_experiments() -> {experiments: [...]}: the experiments table (lab/experiments.h), as
//     `attnrank train --list-experiments --json` prints it
//   lab_verdicts(records, step) -> {comparisons, claims, borrowed}: the verdicts (lab/verdicts.h) of
//     checkpoint records given as JSONL text (one JSON object per line: `attnrank train`'s output, or
//     JSON.stringify of lab_checkpoints() entries; lab/run_records.h reads them); step: undefined or
//     null for each run's last record (Embind wants both arguments), else each run's record at that step
// The keys of every object are the core's (result_fields.h: lab_corpus_result, lab_start_result,
// lab_progress_result, lab_attention_result, lab_checkpoint_result; the tables of result_lab_fields.cpp):
// this file fills their records, never keys of its own.
// Errors as every export's: a JS Error with the core's message, code and param (js_boundary.h).
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/base/pattern_registry.h"
#include "attnrank/io/result_fields.h"
#include "exports.h"
#include "js_convert.h"
#include "js_read.h"
#include "attnrank/lab/corpus.h"
#include "attnrank/lab/experiments.h"
#include "attnrank/lab/run_records.h"
#include "attnrank/lab/verdicts.h"
#include "attnrank/lab/run_output.h"
#include "attnrank/lab/run_memory.h"
#include "attnrank/lab/run_request.h"
#include "attnrank/lab/trainer.h"

namespace attnrank::js {
namespace {

using namespace attnrank::lab;

struct LabRun {
  Trainer trainer;
  RunLabel label;
};

std::map<int, std::unique_ptr<LabRun>>& lab_runs() {
  static std::map<int, std::unique_ptr<LabRun>> runs;
  return runs;
}

std::shared_ptr<const Corpus>& lab_corpus() {
  static std::shared_ptr<const Corpus> corpus;
  return corpus;
}

LabRun& run_of(const val& id) {
  const long long key = read_integer(id, "id");
  const auto found = key >= 0 && key <= 2147483647 ? lab_runs().find(static_cast<int>(key)) : lab_runs().end();
  if (found == lab_runs().end()) {
    invalid("id", message("id=", key, " is not a lab run of this module (lab_start gives ids; lab_destroy ends them)"));
  }
  return *found->second;
}

std::string bytes_of(const val& value, const char* name) {
  if (value.isString()) return value.as<std::string>();
  if (!value.instanceof(val::global("Uint8Array"))) {
    invalid(name, std::string(name) + " must be a Uint8Array or a string (got " + type_of(value) + ")");
  }
  std::string bytes(value["length"].as<std::size_t>(), '\0');
  val(emscripten::typed_memory_view(bytes.size(), reinterpret_cast<std::uint8_t*>(bytes.data()))).call<void>("set", value);
  return bytes;
}

val uint8_array(const std::string& bytes) {
  return val::global("Uint8Array")
      .new_(emscripten::typed_memory_view(bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data())));
}

// The config object -> one run's configuration, in run_request.h's order of checks, then the variant
// (masks, attention: run_layout.h's grammar) and the seed, as `attnrank train --masks --attention --seed`.
struct StartRequest {
  RunConfig config;
  RunLabel label;
};

StartRequest start_request(const val& js) {
  RunRequest r;
  read_config(js, run_request_fields(), kRequestTrain, r);
  const RunBase base = run_base(r);
  const TaskKind kind = base.config.task.kind;
  if (is_corpus_task(kind) && !lab_corpus()) fail_missing_corpus(kind, "this module has none (lab_set_corpus)");
  StartRequest out;
  out.config = run_config(base, base.variant, base.seed, lab_corpus());
  out.label = RunLabel{base.variant.name(), base.variant.masks, base.variant.attention};
  return out;
}

// {step, steps, is_done, checkpoints}: the keys of result_fields.h's lab_progress table.
val progress(const Trainer& trainer) {
  LabProgressRecord record;
  record.step = trainer.steps_taken();
  record.steps = trainer.config().steps;
  record.is_done = trainer.is_done();
  record.checkpoints = static_cast<long long>(trainer.checkpoints().size());
  return to_js(lab_progress_result(record));
}

}  // namespace

val lab_set_corpus_js(val text) {
  return call_guarded(
      ArgumentNames{{"corpus"}},
      [&text] {
        auto corpus = std::make_shared<const Corpus>(make_corpus(bytes_of(text, "corpus")));
        lab_corpus() = corpus;
        LabCorpusRecord record;
        record.tokens = static_cast<long long>(corpus->tokens.size());
        record.symbols = static_cast<long long>(corpus->alphabet.size());
        return to_js(lab_corpus_result(record));  // the keys of result_fields.h's lab_corpus table
      },
      text);
}

val lab_start_js(val config) {
  return call_guarded(
      ArgumentNames{{"config"}},
      [&config] {
        const StartRequest request = start_request(config);
        static int next_id = 1;
        auto run = std::make_unique<LabRun>(
            LabRun{with_run_param([&] { return Trainer(request.config, lab_corpus()); }), request.label});
        const int id = next_id++;
        LabStartRecord record;
        record.id = id;
        record.step = run->trainer.steps_taken();
        record.steps = request.config.steps;
        record.vocab = request.config.model.vocab;
        record.parameters = static_cast<long long>(parameter_count(request.config.model));
        record.memory_bytes = static_cast<long long>(estimate_run_bytes(request.config));
        val out = to_js(lab_start_result(record));  // the keys of result_fields.h's lab_start table
        lab_runs().emplace(id, std::move(run));
        return out;
      },
      config);
}

val lab_advance_js(val id, val steps) {
  return call_guarded(
      ArgumentNames{{"id", "steps"}},
      [&] {
        Trainer& trainer = run_of(id).trainer;
        const long long count = read_integer(steps, "steps");
        require_in_range("steps", count, kTrainStepsRange.min, kTrainStepsRange.max);
        if (trainer.is_done() && trainer.steps_taken() < trainer.config().steps) {  // lab_stop ended it
          invalid("id", message("id=", read_integer(id, "id"), " was stopped at step ", trainer.steps_taken(), " of ",
                                trainer.config().steps, " (lab_stop): it takes no more steps; lab_load a saved state into it to go on"));
        }
        for (long long s = 0; s < count && !trainer.is_done(); ++s) trainer.step();
        return progress(trainer);
      },
      id, steps);
}

val lab_checkpoints_js(val id, val from) {
  return call_guarded(
      ArgumentNames{{"id", "from"}},
      [&] {
        const LabRun& run = run_of(id);
        const std::vector<Checkpoint>& checkpoints = run.trainer.checkpoints();
        const long long first = from.isUndefined() ? 0 : read_integer(from, "from");
        require_in_range("from", first, 0, static_cast<long long>(checkpoints.size()));
        val out = val::array();
        for (std::size_t i = static_cast<std::size_t>(first); i < checkpoints.size(); ++i) {
          out.call<void>("push", to_js(checkpoint_result(run.trainer, run.label, checkpoints[i])));
        }
        return out;
      },
      id, from);
}

val lab_attention_js(val id) {
  return call_guarded(
      [&id] {
        const Trainer& trainer = run_of(id).trainer;
        const Checkpoint& checkpoint = trainer.last_checkpoint();
        const ModelConfig& model = trainer.config().model;
        LabAttentionRecord record;
        record.step = checkpoint.step;
        record.n = model.n;
        record.tokens = trainer.probe_tokens();
        for (const HeadCheckpoint& head : checkpoint.heads) {
          LabAttentionHeadRecord entry;
          entry.head.layer = head.layer;
          entry.head.head = head.head;
          entry.head.pattern = pattern_name(model.masks[head.layer][head.head].kind);
          entry.head.attention = model.kinds[head.layer][head.head] == HeadKind::kSoftmax ? "softmax" : "linear";
          entry.matrix = &head.attention;  // a view: the tree is copied into JS below, while the checkpoint lives
          record.heads.push_back(std::move(entry));
        }
        return to_js(lab_attention_result(record));  // the keys of result_fields.h's lab_attention table
      },
      id);
}

val lab_save_js(val id) {
  return call_guarded([&id] { return uint8_array(run_of(id).trainer.save()); }, id);
}

val lab_load_js(val id, val bytes) {
  return call_guarded(
      ArgumentNames{{"id", "bytes"}},
      [&] {
        Trainer& trainer = run_of(id).trainer;
        trainer.load(bytes_of(bytes, "bytes"));
        return progress(trainer);
      },
      id, bytes);
}

val lab_stop_js(val id) {
  return call_guarded(
      [&id] {
        Trainer& trainer = run_of(id).trainer;
        trainer.stop();
        return progress(trainer);
      },
      id);
}

val lab_destroy_js(val id) {
  return call_guarded(
      [&id] {
        const long long key = read_integer(id, "id");
        return val(key >= 0 && key <= 2147483647 && lab_runs().erase(static_cast<int>(key)) > 0);
      },
      id);
}

val lab_experiments_js() {
  return call_guarded([] { return to_js(experiments_result()); });
}

val lab_verdicts_js(val records, val step) {
  return call_guarded(
      ArgumentNames{{"records", "step"}},
      [&] {
        if (!records.isString()) invalid("records", "records must be a string of JSONL text (got " + type_of(records) + ")");
        std::optional<int> at_step;
        if (!step.isUndefined() && !step.isNull()) {
          at_step = read_int(step, "step");
          require_in_range("step", *at_step, 0, kTrainStepsRange.max);
        }
        return to_js(verdicts_result(read_run_records(records.as<std::string>()), at_step));
      },
      records, step);
}

}  // namespace attnrank::js
