// A lab run's records and section 7 dump (see run_output.h).
#include "attnrank/lab/run_output.h"

#include <cstdint>
#include <cstdio>

#include "attnrank/base/errors.h"
#include "attnrank/io/npy.h"
#include "attnrank/lab/stream.h"

namespace attnrank::lab {
namespace {

const char* kind_name(HeadKind kind) { return kind == HeadKind::kSoftmax ? "softmax" : "linear"; }
const char* positions_name(Positions positions) { return positions == Positions::kLearned ? "learned" : "none"; }

// A float array as the core's float32 .npy (C order): every float is a double exactly, so write_npy's
// narrowing gives back the same bits. rows == 1 is a vector (D,), as section 7's LN parameters.
std::string float_npy(const float* values, int rows, int cols) {
  if (rows == 1) {
    VectorXd vector(cols);
    for (int j = 0; j < cols; ++j) vector(j) = static_cast<double>(values[j]);
    return write_npy(vector, Precision::F32);
  }
  MatrixXd matrix(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) matrix(i, j) = static_cast<double>(values[static_cast<std::size_t>(i) * cols + j]);
  return write_npy(matrix, Precision::F32);
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }  // names hold no '"' or '\'

// [[a, b], [c, d]]: a per-layer list of a per-head word.
template <typename Word>
std::string per_head_list(const ModelConfig& model, Word word) {
  std::string out = "[";
  for (int l = 0; l < model.layers; ++l) {
    out += l ? ", [" : "[";
    for (int h = 0; h < model.heads; ++h) out += (h ? ", " : "") + quoted(word(l, h));
    out += "]";
  }
  return out + "]";
}

std::string config_json(const Trainer& trainer) {
  const RunConfig& run = trainer.config();
  const ModelConfig& model = run.model;
  const MaskSpec& first = model.masks[0][0];  // every head shares prefix and window (run_layout.h)
  return message("{\"vocab\": ", model.vocab, ", \"n\": ", model.n, ", \"width\": ", model.width,
                 ", \"heads\": ", model.heads, ", \"layers\": ", model.layers, ", \"positions\": ",
                 quoted(positions_name(model.positions)), ", \"prefix\": ", first.prefix, ", \"window\": ",
                 first.window, ",\n \"masks\": ",
                 per_head_list(model, [&](int l, int h) { return std::string(pattern_name(model.masks[l][h].kind)); }),
                 ",\n \"attention\": ",
                 per_head_list(model, [&](int l, int h) { return std::string(kind_name(model.kinds[l][h])); }),
                 ",\n \"seed\": ", std::to_string(run.seed), ", \"step\": ", trainer.steps_taken(),
                 ", \"task\": ", quoted(task_name(run.task.kind)), ", \"objective\": ",
                 quoted(objective_name(trainer.task().objective())), ", \"batch\": ", run.batch,
                 ", \"run\": ", std::to_string(run.run), ", \"dtype\": \"float32\"}\n");
}

}  // namespace

ResultValue checkpoint_result(const Trainer& trainer, const RunLabel& label, const Checkpoint& checkpoint) {
  const RunConfig& run = trainer.config();
  const ModelConfig& model = run.model;
  LabCheckpointRecord record;  // its keys: io/result_lab_fields.cpp
  record.task = task_name(run.task.kind);
  record.config = label.config;
  record.masks = label.masks;
  record.attention = label.attention;
  record.objective = objective_name(trainer.task().objective());
  record.seed = static_cast<long long>(run.seed);
  record.run = static_cast<long long>(run.run);
  record.steps = run.steps;
  record.batch = run.batch;
  record.step = checkpoint.step;
  if (checkpoint.train_loss.has_value() && checkpoint.step >= 1) {
    record.learning_rate = scheduled_learning_rate(run.optimizer, checkpoint.step - 1);
  }
  record.train_loss = checkpoint.train_loss;
  record.heldout_loss = checkpoint.heldout_loss;
  record.heldout_accuracy = checkpoint.heldout_accuracy;
  record.baseline = trainer.task().baseline();
  record.permutation_error = checkpoint.permutation_error;
  for (const HeadCheckpoint& head : checkpoint.heads) {
    record.heads.push_back({head.layer, head.head, pattern_name(model.masks[head.layer][head.head].kind),
                            kind_name(model.kinds[head.layer][head.head]), &head.stats});
  }
  return lab_checkpoint_result(record);
}

std::vector<DumpFile> dump_files(Trainer& trainer) {
  const RunConfig& run = trainer.config();
  const int n = run.model.n, batch = run.batch;
  std::vector<int> tokens, targets;
  trainer.task().batch(run.seed, run.run, StreamDomain::kTrain, static_cast<std::uint64_t>(trainer.steps_taken()),
                       batch, tokens, targets);
  Model<float>& model = trainer.model();
  const double loss = static_cast<double>(model.forward(tokens.data(), targets.data(), batch));
  model.backward();
  std::vector<DumpFile> files;
  files.push_back({"config.json", config_json(trainer)});
  for (const ParameterInfo& info : model.layout()) {
    files.push_back({"params/" + info.name + ".npy", float_npy(model.parameters().data() + info.offset, info.rows, info.cols)});
  }
  for (const ParameterInfo& info : model.layout()) {
    files.push_back({"grads/" + info.name + ".npy", float_npy(model.gradients().data() + info.offset, info.rows, info.cols)});
  }
  const std::vector<std::int32_t> tokens32(tokens.begin(), tokens.end()), targets32(targets.begin(), targets.end());
  files.push_back({"tokens.npy", write_npy_int32(tokens32, batch, n)});
  files.push_back({"targets.npy", write_npy_int32(targets32, batch, n)});
  char number[32];
  std::snprintf(number, sizeof number, "%.17g", loss);
  files.push_back({"loss.json", std::string("{\"loss\": ") + number + "}\n"});
  return files;
}

}  // namespace attnrank::lab
