// The field table of a training-lab checkpoint's record (result_fields.h LabCheckpointRecord): the keys of
// `attnrank train`'s JSONL lines (and, flattened per head, of its CSV rows) and of the wasm
// lab_checkpoints() entries, defined once. The lab fills the record (lab/run_output.cpp); this file only
// names and describes its keys.
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

}  // namespace

ResultValue lab_checkpoint_result(const LabCheckpointRecord& record) { return object_of(kLabCheckpointFields, record); }

namespace result_table {
std::vector<ResultField> lab_checkpoint_fields() { return described(kLabCheckpointFields); }
}  // namespace result_table

}  // namespace attnrank
