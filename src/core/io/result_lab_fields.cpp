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

// ---- the probe's attention, 8-bit (lab/probe_attention.h) ----

const Field<LabProbeHeadRecord> kLabProbeMatrixFields[] = {
    {"scale", "number", "the quantisation step: an entry is its byte times `scale` (max entry / 255; 0 for an all-zero matrix)",
     [](const LabProbeHeadRecord& h) { return number(h.scale); }},
    {"data", "string", "base64 of the n*n bytes round(255 a_ij / max a), row-major (row i: query i's weights)",
     [](const LabProbeHeadRecord& h) { return text(h.data); }},
};

ResultValue probe_head_record(const LabProbeHeadRecord& head) {
  ResultValue out = object_of(kLabHeadFields, head.head);
  add_fields(out, kLabProbeMatrixFields, head);
  return out;
}

using PA = LabProbeAttentionRecord;
const Field<PA> kLabProbeAttentionFields[] = {
    {"config", "string", "the grid entry, `masks:attention`", [](const PA& r) { return text(r.config); }},
    {"seed", "int", "the run's seed", [](const PA& r) { return integer(r.seed); }},
    {"step", "int", "the checkpoint's step", [](const PA& r) { return integer(r.step); }},
    {"n", "int", "the probe sequence's tokens (the model's n)", [](const PA& r) { return integer(r.n); }},
    {"tokens", "int[]", "the probe sequence's token ids", [](const PA& r) { return ResultValue::integers_value(r.tokens); }},
    {"heads", "object[]", "per layer and head: its mask and kind, then its attention, 8-bit",
     [](const PA& r) {
       ResultValue out = ResultValue::list();
       for (const LabProbeHeadRecord& head : r.heads) out.push(probe_head_record(head));
       return out;
     },
     nullptr,
     [] {
       std::vector<ResultField> out = described(kLabHeadFields);
       describe(out, kLabProbeMatrixFields);
       return out;
     }},
};

// ---- the experiments table (lab/experiments.h) and the verdicts (lab/verdicts.h) ----

ResultValue texts(const std::vector<std::string>& values) {
  ResultValue out = ResultValue::list();
  for (const std::string& value : values) out.push(text(value));
  return out;
}

using CS = LabComparisonSpecRecord;
const Field<CS> kLabComparisonSpecFields[] = {
    {"claim", "string", "the claim it tests (docs/claims.md id; `recall`: C9's cause, linear attention recalls less)",
     [](const CS& c) { return text(c.claim); }},
    {"a", "string", "side A's configuration", [](const CS& c) { return text(c.a); }},
    {"a_minus", "string", "when not empty, side A is per seed `a` minus this configuration (a gap)",
     [](const CS& c) { return text(c.a_minus); }},
    {"b", "string", "side B's configuration", [](const CS& c) { return text(c.b); }},
    {"b_minus", "string", "when not empty, side B is per seed `b` minus this configuration",
     [](const CS& c) { return text(c.b_minus); }},
    {"expect", "string",
     "what the claim expects: `a_better` (supported when A's band lies wholly beyond B's) or `a_not_better` "
     "(supported when B's lies beyond A's)",
     [](const CS& c) { return text(c.expect); }},
    {"b_may_not_learn", "bool", "side B may learn nothing without the comparison losing its meaning (C16's bidirectional)",
     [](const CS& c) { return boolean(c.b_may_not_learn); }},
    {"question_en", "string", "what it asks, in words", [](const CS& c) { return text(c.question_en); }},
    {"question_zh", "string", "the same in Chinese", [](const CS& c) { return text(c.question_zh); }},
};

using EX = LabExperimentRecord;
const Field<EX> kLabExperimentFields[] = {
    {"id", "string", "the experiment's id (its task's name)", [](const EX& e) { return text(e.id); }},
    {"task", "string", "the task its runs train", [](const EX& e) { return text(e.task); }},
    {"title_en", "string", "the preset's name: the claim it tests", [](const EX& e) { return text(e.title_en); }},
    {"title_zh", "string", "the same in Chinese", [](const EX& e) { return text(e.title_zh); }},
    {"claims", "string[]", "the claims it tests", [](const EX& e) { return texts(e.claims); }},
    {"configs", "string[]", "the configurations it trains, `masks:attention` (`attnrank train --configs task`)",
     [](const EX& e) { return texts(e.configs); }},
    {"metric", "string", "the records' key the verdicts read at each run's last checkpoint: `heldout_loss` or `heldout_accuracy`",
     [](const EX& e) { return text(e.metric); }},
    {"better", "string", "`lower` (loss) or `higher` (accuracy)", [](const EX& e) { return text(e.better); }},
    {"seeds", "int[]", "the seeds each configuration runs (at least 3 decide a comparison)",
     [](const EX& e) { return ResultValue::integers_value(e.seeds); }},
    {"options", "object", "the runs' options as `lab_start` config keys (the registry's train defaults for the task), without masks, attention and seed",
     [](const EX& e) { return e.options; }},
    {"comparisons", "object[]", "the comparisons its verdicts make",
     [](const EX& e) { return list_of(kLabComparisonSpecFields, e.comparisons); }, nullptr,
     [] { return described(kLabComparisonSpecFields); }},
};

struct LabExperimentsSource {
  const std::vector<LabExperimentRecord>* experiments;
};
const Field<LabExperimentsSource> kLabExperimentsFields[] = {
    {"experiments", "object[]", "the lab's experiments (design-lab.md section 3), in its order",
     [](const LabExperimentsSource& s) { return list_of(kLabExperimentFields, *s.experiments); }, nullptr,
     [] { return described(kLabExperimentFields); }},
};

const Field<LabBandRecord> kLabBandFields[] = {
    {"seeds", "number[]", "the complete seeds it is over, ascending (exact integers)",
     [](const LabBandRecord& b) { return ResultValue::numbers_value(b.seeds); }},
    {"values", "number[]", "the value per seed, in that order", [](const LabBandRecord& b) { return ResultValue::numbers_value(b.values); }},
    {"mean", "number", "their mean", [](const LabBandRecord& b) { return number(b.mean); }},
    {"low", "number", "their minimum", [](const LabBandRecord& b) { return number(b.low); }},
    {"high", "number", "their maximum", [](const LabBandRecord& b) { return number(b.high); }},
};

ResultValue band_value(const std::optional<LabBandRecord>& band) {
  return band ? object_of(kLabBandFields, *band) : ResultValue::null();
}

using CV = LabComparisonVerdictRecord;
const Field<CV> kLabComparisonVerdictFields[] = {
    {"experiment", "string", "the experiment (lab_experiments' id)", [](const CV& c) { return text(c.experiment); }},
    {"claim", "string", "the claim", [](const CV& c) { return text(c.claim); }},
    {"a", "string", "side A's configuration", [](const CV& c) { return text(c.a); }},
    {"a_minus", "string", "side A's subtracted configuration, or empty", [](const CV& c) { return text(c.a_minus); }},
    {"b", "string", "side B's configuration", [](const CV& c) { return text(c.b); }},
    {"b_minus", "string", "side B's subtracted configuration, or empty", [](const CV& c) { return text(c.b_minus); }},
    {"metric", "string", "`heldout_loss` or `heldout_accuracy`", [](const CV& c) { return text(c.metric); }},
    {"expect", "string", "`a_better` or `a_not_better`", [](const CV& c) { return text(c.expect); }},
    {"a_band", "object or null", "side A over its complete seeds; null when it has none",
     [](const CV& c) { return band_value(c.a_band); }, nullptr, [] { return described(kLabBandFields); }},
    {"b_band", "object or null", "side B likewise", [](const CV& c) { return band_value(c.b_band); }, nullptr,
     [] { return described(kLabBandFields); }},
    {"difference", "object or null", "per seed A - B over the seeds both completed; null when none",
     [](const CV& c) { return band_value(c.difference); }, nullptr, [] { return described(kLabBandFields); }},
    {"outcome", "string",
     "`a_better` / `b_better` (its band lies wholly beyond the other's), `no_difference` (the bands overlap), "
     "`not_enough_runs` (a side has fewer than 3 complete seeds), `not_learned` (a configuration did not beat the "
     "baseline by more than 2% of it on every complete seed: not tested at these settings), `no_runs`",
     [](const CV& c) { return text(c.outcome); }},
    {"verdict", "string", "`supported`, `contradicted` or `inconclusive`", [](const CV& c) { return text(c.verdict); }},
    {"not_learned", "string[]", "the configurations that did not learn (outcome `not_learned`)",
     [](const CV& c) { return texts(c.not_learned); }},
    {"text_en", "string", "the comparison and its verdict in words, with the numbers", [](const CV& c) { return text(c.text_en); }},
    {"text_zh", "string", "the same in Chinese", [](const CV& c) { return text(c.text_zh); }},
};

using CL = LabClaimVerdictRecord;
const Field<CL> kLabClaimVerdictFields[] = {
    {"claim", "string", "the claim", [](const CL& c) { return text(c.claim); }},
    {"verdict", "string",
     "`supported` or `contradicted` when every comparison of it with runs says so, else `inconclusive`",
     [](const CL& c) { return text(c.verdict); }},
    {"experiments", "string[]", "the experiments behind it (those given runs)", [](const CL& c) { return texts(c.experiments); }},
    {"text_en", "string", "the verdict in words", [](const CL& c) { return text(c.text_en); }},
    {"text_zh", "string", "the same in Chinese", [](const CL& c) { return text(c.text_zh); }},
};

using VR = LabVerdictsRecord;
const Field<VR> kLabVerdictsFields[] = {
    {"comparisons", "object[]", "every comparison of every experiment with runs, in the experiments' order",
     [](const VR& r) { return list_of(kLabComparisonVerdictFields, r.comparisons); }, nullptr,
     [] { return described(kLabComparisonVerdictFields); }},
    {"claims", "object[]", "per claim (C9, C11, C12, C16, recall) its verdict", [](const VR& r) { return list_of(kLabClaimVerdictFields, r.claims); },
     nullptr, [] { return described(kLabClaimVerdictFields); }},
    {"borrowed", "string[]",
     "runs one experiment took from its twin (mlm and lm-vs-mlm train the same bidirectional models on the same data)",
     [](const VR& r) { return texts(r.borrowed); }},
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

ResultValue lab_experiments_result(const std::vector<LabExperimentRecord>& experiments) {
  return object_of(kLabExperimentsFields, LabExperimentsSource{&experiments});
}

ResultValue lab_verdicts_result(const LabVerdictsRecord& record) { return object_of(kLabVerdictsFields, record); }

ResultValue lab_probe_attention_result(const LabProbeAttentionRecord& record) {
  return object_of(kLabProbeAttentionFields, record);
}

namespace result_table {
std::vector<ResultField> lab_experiments_fields() { return described(kLabExperimentsFields); }
std::vector<ResultField> lab_verdicts_fields() { return described(kLabVerdictsFields); }
std::vector<ResultField> lab_probe_attention_fields() { return described(kLabProbeAttentionFields); }
std::vector<ResultField> lab_checkpoint_fields() { return described(kLabCheckpointFields); }
std::vector<ResultField> lab_corpus_fields() { return described(kLabCorpusFields); }
std::vector<ResultField> lab_start_fields() { return described(kLabStartFields); }
std::vector<ResultField> lab_progress_fields() { return described(kLabProgressFields); }
std::vector<ResultField> lab_attention_fields() { return described(kLabAttentionFields); }
}  // namespace result_table

}  // namespace attnrank
