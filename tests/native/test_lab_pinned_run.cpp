// The lab run that `attnrank train` and the wasm module's lab_start() make from the same options
// (src/core/include/attnrank/lab/run_request.h): the default configuration (task mlm on the Austen corpus, D 64, H 4, L 2,
// n 64, batch 16, bidirectional softmax, seed 1) with steps = 4 trains to pinned weights, the same bits
// natively and in wasm (this file runs under both ctests; tests/node/lab-binding.test.mjs pins the same
// hash on the shipped module and compares its records with the CLI's); the request's checks name their
// parameter with the core's words.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/lab/run_request.h"
#include "attnrank/lab/trainer.h"
#include "lab/kernels.h"
#include "lab_test_corpus.h"
#include "test_support.h"

namespace attnrank::lab {
namespace {

// call() throws the core's Error with this code and param, its message containing `words`.
template <typename F>
void expect_error(F&& call, ErrorCode code, const std::string& param, const std::string& words) {
  try {
    call();
    ADD_FAILURE() << "expected an error: " << words;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), code) << error.what();
    EXPECT_EQ(error.param(), param) << error.what();
    EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
  }
}

// FNV-1a over the float parameters' bytes (little-endian on both sides).
std::uint64_t weights_hash(const Model<float>& model) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto* bytes = reinterpret_cast<const unsigned char*>(model.parameters().data());
  for (std::size_t i = 0; i < model.parameters().size() * sizeof(float); ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
  return hash;
}

RunConfig default_run(const RunRequest& request, const std::shared_ptr<const Corpus>& corpus) {
  const RunBase base = run_base(request);
  return run_config(base, task_variants(base.config.task.kind).front(), 1, corpus);
}

// `attnrank train --steps 4` (every other option at its default): the weights after its 4 steps.
// tests/node/lab-binding.test.mjs holds the same number for the module.
constexpr std::uint64_t kDefaultRunWeightsHash = 79502139182707104ULL;

TEST(LabPinnedRun, DefaultConfigurationWeightsAfterFourStepsArePinned) {
  const auto corpus = test::austen_corpus();
  if (!corpus) GTEST_SKIP() << test::kNoCorpusMessage;
  RunRequest request;
  request.steps = 4;
  const RunConfig config = default_run(request, corpus);
  EXPECT_EQ(config.model.n, 64);
  EXPECT_EQ(config.model.width, 64);
  EXPECT_EQ(config.model.heads, 4);
  EXPECT_EQ(config.model.layers, 2);
  EXPECT_EQ(config.batch, 16);
  // Natively on each vector path the CPU can take (kernels.h: the 128-bit one, and the 256-bit one where
  // the CPU has AVX2, the default there): the same weights.
  std::vector<bool> paths{false};
  if (wide_vectors_available()) paths.push_back(true);
  for (bool wide : paths) {
    const bool before = set_wide_vectors(wide);
    Trainer trainer(config, corpus);
    while (!trainer.is_done()) trainer.step();
    set_wide_vectors(before);
    EXPECT_EQ(trainer.steps_taken(), 4);
    EXPECT_EQ(weights_hash(trainer.model()), kDefaultRunWeightsHash)
        << "hash " << weights_hash(trainer.model()) << (wide ? " (256-bit path)" : " (128-bit path)");
  }
}

TEST(LabPinnedRun, RequestChecksNameTheirParameter) {
  RunRequest request;
  request.task = "sorting";
  expect_error([&] { run_base(request); }, ErrorCode::kInvalidArgument, "task", "task=sorting is unknown");
  request = RunRequest{};
  request.width = 16;
  request.heads = 3;
  expect_error([&] { run_base(request); }, ErrorCode::kInvalidArgument, "heads", "heads=3 must divide width=16");
  request = RunRequest{};
  request.steps = 0;
  expect_error([&] { run_base(request); }, ErrorCode::kInvalidArgument, "steps", "steps=0 must be in [1, 10000000]");
  request = RunRequest{};
  request.learning_rate = -1;
  expect_error([&] { run_base(request); }, ErrorCode::kInvalidArgument, "learning_rate",
               "learning_rate=-1 must be in [0, 10]");
  request = RunRequest{};
  request.clip_norm = 2e6;
  expect_error([&] { run_base(request); }, ErrorCode::kInvalidArgument, "clip_norm", "clip_norm=2e+06 must be in [0, 1e+06]");
  request = RunRequest{};
  request.task = "copy";
  request.n = 9;
  request.max_length = 6;
  const RunBase base = run_base(request);
  expect_error([&] { run_config(base, RunVariant{}, 1, nullptr); }, ErrorCode::kInvalidArgument, "n",
               "n=9 is too small for copy with max_length=6");
}

}  // namespace
}  // namespace attnrank::lab
