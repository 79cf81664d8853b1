// The lab model's state for the PyTorch oracle (tests/oracle/lab_torch_oracle.py). For each case (every
// mask pattern with softmax and with linear heads, head and layer mixtures, heads of both kinds in one
// layer, no positions), in f64 and in f32, it writes one step's whole state in design-lab.md section 7's
// format (config.json, params/, grads/, tokens.npy, targets.npy, loss.json) and then a few AdamW steps
// (adamw/<s>/: that step's batch, loss, gradient before clipping, and the parameters after the update).
// Parameters are O(0.3) rather than the init's 0.02, so attention is far from uniform and every path
// carries a visible gradient. A test tool (never shipped): the CLI's --dump-dir writes the same format.
//   attnrank_lab_dump <out_dir>      writes <out_dir>/<case>/<f64|f32>/ and <out_dir>/cases.txt
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrank/lab/model.h"
#include "attnrank/lab/optimizer.h"
#include "attnrank/lab/stream.h"

namespace attnrank::lab {
namespace {

namespace fs = std::filesystem;

constexpr int kVocab = 11, kN = 8, kWidth = 12, kHeads = 2, kLayers = 2, kBatch = 3;
constexpr int kPrefix = 3, kWindow = 3;
constexpr double kParameterScale = 15;   // init std 0.02 -> 0.3 (Wo, W2: 0.15)
constexpr double kNormSpread = 0.3;      // LN g = 1 + 0.3 u, b = 0.3 u, u uniform on [-1, 1)
constexpr double kTargetFraction = 0.7;  // positions with a target; the rest are -1
constexpr int kAdamSteps = 3;
constexpr std::uint64_t kSeed = 20261206;

struct Case {
  std::string name;
  std::vector<std::vector<PatternKind>> masks;  // [L][H]
  std::vector<std::vector<HeadKind>> kinds;     // [L][H]
  Positions positions = Positions::kLearned;
};

std::vector<Case> cases() {
  using P = PatternKind;
  using K = HeadKind;
  std::vector<Case> out;
  for (P pattern : {P::kBidirectional, P::kForward, P::kBackward, P::kPrefix, P::kWindow, P::kForwardWindow})
    for (K kind : {K::kSoftmax, K::kLinear}) {
      out.push_back({std::string(pattern_name(pattern)) + (kind == K::kSoftmax ? "-softmax" : "-linear"),
                     {{pattern, pattern}, {pattern, pattern}},
                     {{kind, kind}, {kind, kind}}});
    }
  out.push_back({"heads-forward-backward-softmax", {{P::kForward, P::kBackward}, {P::kForward, P::kBackward}},
                 {{K::kSoftmax, K::kSoftmax}, {K::kSoftmax, K::kSoftmax}}});
  out.push_back({"layers-forward-backward-linear", {{P::kForward, P::kForward}, {P::kBackward, P::kBackward}},
                 {{K::kLinear, K::kLinear}, {K::kLinear, K::kLinear}}});
  out.push_back({"mixed-kinds", {{P::kForward, P::kBidirectional}, {P::kPrefix, P::kWindow}},
                 {{K::kSoftmax, K::kLinear}, {K::kLinear, K::kSoftmax}}});
  for (K kind : {K::kSoftmax, K::kLinear}) {
    out.push_back({std::string("no-positions-bidirectional-") + (kind == K::kSoftmax ? "softmax" : "linear"),
                   {{P::kBidirectional, P::kBidirectional}, {P::kBidirectional, P::kBidirectional}},
                   {{kind, kind}, {kind, kind}},
                   Positions::kNone});
  }
  return out;
}

ModelConfig model_config(const Case& c) {
  ModelConfig config = uniform_model_config(kVocab, kN, kWidth, kHeads, kLayers, MaskSpec{}, HeadKind::kSoftmax,
                                            c.positions);
  for (int l = 0; l < kLayers; ++l)
    for (int h = 0; h < kHeads; ++h) {
      MaskSpec& spec = config.masks[l][h];
      spec.kind = c.masks[l][h];
      spec.prefix = kPrefix;
      spec.window = kWindow;
      config.kinds[l][h] = c.kinds[l][h];
    }
  return config;
}

AdamWConfig adamw_config() {
  AdamWConfig config;
  config.learning_rate = 1e-2;
  config.total_steps = 40;  // warm-up floor(0.05 * 40) = 2 steps, so the three steps cover both phases
  return config;
}

double uniform(CounterStream& stream) {  // [-1, 1), 53 bits
  return static_cast<double>(stream.next_u64() >> 11) * 0x1.0p-52 - 1.0;
}

// ---- .npy (format 1.0, little-endian, C order) and JSON, written by hand: a test tool.
template <typename T>
const char* descr();
template <>
const char* descr<double>() { return "<f8"; }
template <>
const char* descr<float>() { return "<f4"; }
template <>
const char* descr<int>() { return "<i4"; }

template <typename T>
void write_npy(const fs::path& path, const T* data, const std::vector<int>& shape) {
  std::string dims;
  std::size_t count = 1;
  for (int d : shape) {
    dims += std::to_string(d) + ", ";
    count *= static_cast<std::size_t>(d);
  }
  if (shape.size() > 1) dims.resize(dims.size() - 2);  // "(3, 4)"; a 1-D shape keeps "(4, )"
  std::string header = std::string("{'descr': '") + descr<T>() + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream file(path, std::ios::binary);
  file.write("\x93NUMPY\x01\x00", 8);
  const unsigned char length[2] = {static_cast<unsigned char>(header.size() & 0xff),
                                   static_cast<unsigned char>(header.size() >> 8)};
  file.write(reinterpret_cast<const char*>(length), 2);
  file << header;
  file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
  if (!file) throw std::runtime_error("cannot write " + path.string());
}

std::string json_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream file(path);
  file << text;
  if (!file) throw std::runtime_error("cannot write " + path.string());
}

template <typename T>
void write_tensors(const fs::path& dir, const std::vector<ParameterInfo>& layout, const std::vector<T>& values) {
  fs::create_directories(dir);
  for (const ParameterInfo& info : layout) {
    const std::vector<int> shape = info.rows == 1 ? std::vector<int>{info.cols} : std::vector<int>{info.rows, info.cols};
    write_npy(dir / (info.name + ".npy"), values.data() + info.offset, shape);
  }
}

void write_batch(const fs::path& dir, const std::vector<int>& tokens, const std::vector<int>& targets, double loss) {
  write_npy(dir / "tokens.npy", tokens.data(), {kBatch, kN});
  write_npy(dir / "targets.npy", targets.data(), {kBatch, kN});
  write_text(dir / "loss.json", "{\"loss\": " + json_number(loss) + "}\n");
}

std::string config_json(const Case& c, const ModelConfig& model, const char* dtype) {
  std::ostringstream out;
  const auto list = [&](auto name_of) {
    std::string text = "[";
    for (int l = 0; l < kLayers; ++l) {
      text += l ? ", [" : "[";
      for (int h = 0; h < kHeads; ++h) text += std::string(h ? ", \"" : "\"") + name_of(l, h) + "\"";
      text += "]";
    }
    return text + "]";
  };
  const AdamWConfig adam = adamw_config();
  out << "{\"case\": \"" << c.name << "\", \"dtype\": \"" << dtype << "\", \"vocab\": " << model.vocab
      << ", \"n\": " << model.n << ", \"width\": " << model.width << ", \"heads\": " << model.heads
      << ", \"layers\": " << model.layers << ", \"positions\": \""
      << (model.positions == Positions::kLearned ? "learned" : "none") << "\", \"prefix\": " << kPrefix
      << ", \"window\": " << kWindow << ",\n \"masks\": " << list([&](int l, int h) {
           return pattern_name(model.masks[l][h].kind);
         })
      << ",\n \"attention\": " << list([&](int l, int h) {
           return model.kinds[l][h] == HeadKind::kSoftmax ? "softmax" : "linear";
         })
      << ",\n \"seed\": " << kSeed << ", \"step\": 0, \"batch\": " << kBatch << ",\n \"adamw\": {\"learning_rate\": "
      << json_number(adam.learning_rate) << ", \"beta1\": " << json_number(adam.beta1)
      << ", \"beta2\": " << json_number(adam.beta2) << ", \"eps\": " << json_number(adam.eps)
      << ", \"weight_decay\": " << json_number(adam.weight_decay)
      << ", \"warmup_fraction\": " << json_number(adam.warmup_fraction)
      << ", \"final_fraction\": " << json_number(adam.final_fraction)
      << ", \"clip_norm\": " << json_number(adam.clip_norm) << ", \"total_steps\": " << adam.total_steps
      << ", \"steps\": " << kAdamSteps << "}}\n";
  return out.str();
}

// Tokens uniform over the vocabulary; targets uniform, -1 at ~30% of the positions (at least one kept).
void draw_batch(int step, std::vector<int>& tokens, std::vector<int>& targets) {
  CounterStream stream(StreamKey{kSeed, 0, StreamDomain::kTrain, static_cast<std::uint64_t>(step), 0});
  tokens.resize(kBatch * kN);
  targets.resize(kBatch * kN);
  for (int& t : tokens) t = stream.below(kVocab);
  for (int& t : targets) t = stream.below(1000) < kTargetFraction * 1000 ? stream.below(kVocab) : -1;
  targets[0] = tokens[1];
}

std::vector<double> test_parameters(const ModelConfig& config) {
  Model<double> model(config);
  model.init(kSeed);
  CounterStream stream(StreamKey{kSeed, 0, StreamDomain::kProbe, 0, 0});
  for (const ParameterInfo& info : model.layout()) {
    const std::size_t count = static_cast<std::size_t>(info.rows) * static_cast<std::size_t>(info.cols);
    double* values = model.parameters().data() + info.offset;
    for (std::size_t i = 0; i < count; ++i)
      values[i] = info.init_std > 0 ? values[i] * kParameterScale : info.init_constant + kNormSpread * uniform(stream);
  }
  return model.parameters();
}

template <typename T>
void dump_case(const fs::path& dir, const Case& c, const char* dtype) {
  const ModelConfig config = model_config(c);
  Model<T> model(config);
  const std::vector<double> start = test_parameters(config);
  for (std::size_t i = 0; i < start.size(); ++i) model.parameters()[i] = static_cast<T>(start[i]);
  fs::create_directories(dir);
  write_text(dir / "config.json", config_json(c, config, dtype));
  write_tensors(dir / "params", model.layout(), model.parameters());

  const AdamWConfig adam = adamw_config();
  AdamWState<T> state;
  std::vector<int> tokens, targets;
  for (int s = 0; s < kAdamSteps; ++s) {
    draw_batch(s, tokens, targets);
    const double loss = static_cast<double>(model.forward(tokens.data(), targets.data(), kBatch));
    model.backward();
    if (s == 0) {  // section 7: the step's state before its update
      write_batch(dir, tokens, targets, loss);
      write_tensors(dir / "grads", model.layout(), model.gradients());
    }
    const fs::path step_dir = dir / "adamw" / std::to_string(s);
    fs::create_directories(step_dir);
    write_batch(step_dir, tokens, targets, loss);
    write_tensors(step_dir / "grads", model.layout(), model.gradients());
    adamw_step(adam, model.layout(), model.parameters(), model.gradients(), state);
    write_tensors(step_dir / "params", model.layout(), model.parameters());
  }
}

}  // namespace
}  // namespace attnrank::lab

int main(int argc, char** argv) {
  using namespace attnrank::lab;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <out_dir>\n", argv[0]);
    return 2;
  }
  try {
    const fs::path out = argv[1];
    std::string listing;
    for (const Case& c : cases()) {
      dump_case<double>(out / c.name / "f64", c, "float64");
      dump_case<float>(out / c.name / "f32", c, "float32");
      listing += c.name + "\n";
    }
    write_text(out / "cases.txt", listing);
    std::printf("wrote %zu cases (f64 and f32) to %s\n", cases().size(), argv[1]);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "attnrank_lab_dump: %s\n", error.what());
    return 1;
  }
  return 0;
}
