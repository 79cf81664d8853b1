// The field tables of the training lab's results (result_fields.h): a checkpoint's record
// (LabCheckpointRecord: the keys of `attnrank train`'s JSONL lines, and, flattened per head, of its CSV rows,
// and of the wasm lab_checkpoints() entries) and the wasm lab binding's other results (lab_set_corpus,
// lab_start, lab_advance / lab_load / lab_stop, lab_attention: every row wasm only, the CLI prints none),
// defined once. The lab fills the records (lab/run_output.cpp, bindings/lab_binding.cpp); this file only
// names and describes their keys.
#include "result_table.h"

namespace attnrank {
namespace {

using namespace result_table;

ResultValue optional_number(const std::optional<double>& value) { return value ? number(*value) : ResultValue::null(); }

const Field<LabHeadRecord> kLabHeadFields[] = {
    {"layer", "int", "0-based layer", [](const LabHeadRecord& h) { return integer(h.layer); }},
    {"head", "int", "0-based head within the layer", [](const LabHeadRecord& h) { return integer(h.head); }},
    {"pattern", "string", "the head's mask (a pattern id)", [](const LabHeadRecord& h) { return text(h.pattern); }},
    {"attention", "string", "`softmax` or `linear`", [](const LabHeadRecord& h) { return text(h.attention); }},
};

ResultValue head_record(const LabHeadRecord& head) {
  ResultValue out = object_of(kLabHeadFields, head);
  add_rank_statistics(out, *head.stats);
  return out;
}

using R = LabCheckpointRecord;
const Field<R> kLabCheckpointFields[] = {
    {"task", "string", "the task (`mlm`, `order`, `prefix`, `mqar`, `lm-vs-mlm`, `copy`, `reverse`)",
     [](const R& r) { return text(r.task); }},
    {"config", "string", "the grid entry, `masks:attention`", [](const R& r) { return text(r.config); }},
    {"masks", "string", "the masks per layer and head as given (`P`, `P1/P2`, `L1+L2`, ...)", [](const R& r) { return text(r.masks); }},
    {"attention", "string", "the attention kinds per layer and head as given", [](const R& r) { return text(r.attention); }},
    {"objective", "string", "what the loss is taken on (the task's objective)", [](const R& r) { return text(r.objective); }},
    {"seed", "int", "the run's seed", [](const R& r) { return integer(r.seed); }},
    {"run", "int", "the run index (its own data streams under one seed)", [](const R& r) { return integer(r.run); }},
    {"steps", "int", "the run's optimizer steps", [](const R& r) { return integer(r.steps); }},
    {"batch", "int", "sequences per step", [](const R& r) { return integer(r.batch); }},
    {"step", "int", "the checkpoint's step (0: before training)", [](const R& r) { return integer(r.step); }},
    {"learning_rate", "number or null", "the learning rate of the step just taken; null at step 0 and after a load",
     [](const R& r) { return optional_number(r.learning_rate); }},
    {"train_loss", "number or null", "the training loss of the step just taken (nats); null likewise",
     [](const R& r) { return optional_number(r.train_loss); }},
    {"heldout_loss", "number", "the loss on the held-out batches (nats)", [](const R& r) { return number(r.heldout_loss); }},
    {"heldout_accuracy", "number or null", "the held-out accuracy; null for the corpus tasks",
     [](const R& r) { return optional_number(r.heldout_accuracy); }},
    {"baseline", "number", "the unigram entropy in nats for the corpus tasks, chance accuracy otherwise",
     [](const R& r) { return number(r.baseline); }},
    {"permutation_error", "number or null",
     "max |f(P X) - P f(X)| of the model; null unless the model is permutation-equivariant (no positions)",
     [](const R& r) { return optional_number(r.permutation_error); }},
    {"heads", "object[]", "per layer and head: its mask and kind, then the rank statistics of its attention on the probe sequence (without `singular_values`)",
     [](const R& r) {
       ResultValue out = ResultValue::list();
       for (const LabHeadRecord& head : r.heads) out.push(head_record(head));
       return out;
     },
     nullptr,
     [] {
       std::vector<ResultField> out = described(kLabHeadFields);
       for (ResultField& field : rank_statistics_fields()) out.push_back(std::move(field));
       return out;
     }},
};

// ---- the wasm lab binding's results (wasm only: the CLI prints none of them) ----

const Field<LabCorpusRecord> kLabCorpusFields[] = {
    {"tokens", "int", "the corpus's length in tokens (one byte each)", [](const LabCorpusRecord& r) { return integer(r.tokens); },
     nullptr, nullptr, kWasmOnly},
    {"symbols", "int", "its alphabet: the distinct bytes of the text", [](const LabCorpusRecord& r) { return integer(r.symbols); },
     nullptr, nullptr, kWasmOnly},
};

const Field<LabStartRecord> kLabStartFields[] = {
    {"id", "int", "the run's id, for the other lab_* calls", [](const LabStartRecord& r) { return integer(r.id); }, nullptr,
     nullptr, kWasmOnly},
    {"step", "int", "the optimizer steps taken (0: a new run)", [](const LabStartRecord& r) { return integer(r.step); }, nullptr,
     nullptr, kWasmOnly},
    {"steps", "int", "the run's optimizer steps", [](const LabStartRecord& r) { return integer(r.steps); }, nullptr, nullptr,
     kWasmOnly},
    {"vocab", "int", "the model's vocabulary (token ids)", [](const LabStartRecord& r) { return integer(r.vocab); }, nullptr,
     nullptr, kWasmOnly},
    {"parameters", "int", "the model's trainable parameters", [](const LabStartRecord& r) { return integer(r.parameters); },
     nullptr, nullptr, kWasmOnly},
    {"memory_bytes", "int", "the run's estimated memory in bytes (lab/run_memory.h), checked against `memory_budget_mib`",
     [](const LabStartRecord& r) { return integer(r.memory_bytes); }, nullptr, nullptr, kWasmOnly},
};

const Field<LabProgressRecord> kLabProgressFields[] = {
    {"step", "int", "the optimizer steps taken", [](const LabProgressRecord& r) { return integer(r.step); }, nullptr, nullptr,
     kWasmOnly},
    {"steps", "int", "the run's optimizer steps", [](const LabProgressRecord& r) { return integer(r.steps); }, nullptr, nullptr,
     kWasmOnly},
    {"is_done", "bool", "whether the run takes no more steps (all taken, or ended by `lab_stop`)",
     [](const LabProgressRecord& r) { return boolean(r.is_done); }, nullptr, nullptr, kWasmOnly},
    {"checkpoints", "int", "the checkpoints recorded so far (`lab_checkpoints(id, from)` returns those from `from` on)",
     [](const LabProgressRecord& r) { return integer(r.checkpoints); }, nullptr, nullptr, kWasmOnly},
};

const Field<LabAttentionHeadRecord> kLabAttentionMatrixField[] = {
    {"matrix", "number[]", "the head's attention on the probe sequence, n*n (a Float64Array copy)",
     [](const LabAttentionHeadRecord& h) { return matrix_view(*h.matrix); }},
};

ResultValue attention_head_record(const LabAttentionHeadRecord& head) {
  ResultValue out = object_of(kLabHeadFields, head.head);
  add_fields(out, kLabAttentionMatrixField, head);
  return out;
}

const Field<LabAttentionRecord> kLabAttentionFields[] = {
    {"step", "int", "the step of the last checkpoint, whose attention this is",
     [](const LabAttentionRecord& r) { return integer(r.step); }, nullptr, nullptr, kWasmOnly},
    {"n", "int", "the probe sequence's tokens (the model's n)", [](const LabAttentionRecord& r) { return integer(r.n); }, nullptr,
     nullptr, kWasmOnly},
    {"tokens", "int[]", "the probe sequence's token ids, n (an Int32Array)",
     [](const LabAttentionRecord& r) { return ResultValue::integers_value(r.tokens); }, nullptr, nullptr, kWasmOnly},
    {"heads", "object[]", "per layer and head: its mask and kind, then its attention matrix",
     [](const LabAttentionRecord& r) {
       ResultValue out = ResultValue::list();
       for (const LabAttentionHeadRecord& head : r.heads) out.push(attention_head_record(head));
       return out;
     },
     nullptr,
     [] {
       std::vector<ResultField> out = described(kLabHeadFields);
       describe(out, kLabAttentionMatrixField);
       return out;
     },
     kWasmOnly},
};

}  // namespace

ResultValue lab_checkpoint_result(const LabCheckpointRecord& record) { return object_of(kLabCheckpointFields, record); }

ResultValue lab_corpus_result(const LabCorpusRecord& record) {
  return object_of(kLabCorpusFields, record, ResultTarget::kWasm);
}

ResultValue lab_start_result(const LabStartRecord& record) { return object_of(kLabStartFields, record, ResultTarget::kWasm); }

ResultValue lab_progress_result(const LabProgressRecord& record) {
  return object_of(kLabProgressFields, record, ResultTarget::kWasm);
}

ResultValue lab_attention_result(const LabAttentionRecord& record) {
  return object_of(kLabAttentionFields, record, ResultTarget::kWasm);
}

namespace result_table {
std::vector<ResultField> lab_checkpoint_fields() { return described(kLabCheckpointFields); }
std::vector<ResultField> lab_corpus_fields() { return described(kLabCorpusFields); }
std::vector<ResultField> lab_start_fields() { return described(kLabStartFields); }
std::vector<ResultField> lab_progress_fields() { return described(kLabProgressFields); }
std::vector<ResultField> lab_attention_fields() { return described(kLabAttentionFields); }
}  // namespace result_table

}  // namespace attnrank
