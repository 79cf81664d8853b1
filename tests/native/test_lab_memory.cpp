// A lab run's memory (src/core/include/attnrank/lab/run_memory.h): the count against the allocator's measured peak (glibc's
// mallinfo2, sampled after construction and after every step; native glibc builds without sanitizers
// only), and the trainer's refusal of a run over its budget, before it allocates, naming the size behind
// the largest part.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "attnrank/lab/run_memory.h"
#include "attnrank/lab/trainer.h"
#include "lab_test_runs.h"
#include "test_support.h"

#if defined(__SANITIZE_ADDRESS__)
#define ATTNRANK_MEMORY_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define ATTNRANK_MEMORY_TEST_SANITIZED 1
#endif
#endif

namespace attnrank::lab {
namespace {

using test::expect_error;
using test::mask_spec;

// A run of section 1's default model (D 64, H 4, L 2, n 64, batch 16) on copy, `steps` steps.
RunConfig default_sized_run(const MaskSpec& mask, HeadKind kind, int steps, int checkpoint_interval) {
  RunConfig run;
  run.task = TaskConfig{TaskKind::kCopy, 64};
  run.task.max_length = 31;
  run.model = uniform_model_config(18, 64, 64, 4, 2, mask, kind);
  run.seed = 1;
  run.steps = steps;
  run.batch = 16;
  run.checkpoint_interval = checkpoint_interval;
  run.heldout_batches = 1;
  return run;
}

#if defined(__GLIBC__) && !defined(ATTNRANK_MEMORY_TEST_SANITIZED)
// The measured peak must lie within [kLowest, 1] of the count (the count is an upper bound, and not a
// loose one): the kernels' thread_local scratch, sized by earlier tests, is counted but not measured again.
constexpr double kLowest = 0.85;

double heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<double>(info.uordblks) + static_cast<double>(info.hblkhd);  // arena + mmapped blocks
}
#endif

TEST(LabMemory, CountBoundsTheMeasuredPeak) {
#if !defined(__GLIBC__) || defined(ATTNRANK_MEMORY_TEST_SANITIZED)
  GTEST_SKIP() << "the heap is measured with glibc's mallinfo2, without sanitizers";
#else
  struct Case {
    const char* name;
    RunConfig run;
  };
  const Case cases[] = {
      {"forward softmax", default_sized_run(mask_spec(PatternKind::kForward), HeadKind::kSoftmax, 6, 3)},
      {"bidirectional linear (f64 probe)", default_sized_run(mask_spec(PatternKind::kBidirectional), HeadKind::kLinear, 6, 3)},
      {"prefix softmax, a checkpoint every step", default_sized_run(mask_spec(PatternKind::kPrefix, 32), HeadKind::kSoftmax, 12, 1)},
  };
  for (const Case& c : cases) {
    const double before = heap_in_use();
    double peak = 0;
    {
      Trainer trainer(c.run, nullptr);
      peak = std::max(peak, heap_in_use() - before);
      while (!trainer.is_done()) {
        trainer.step();
        peak = std::max(peak, heap_in_use() - before);
      }
    }
    const RunMemory memory = count_run_memory(c.run);
    const double ratio = peak / memory.total();
    std::printf("  [%s] counted %.2f MiB (weights %.2f, activations %.2f, f64 probe %.2f, checkpoints %.2f), "
                "measured peak %.2f MiB, ratio %.3f\n",
                c.name, memory.total() / 1048576, memory.weights / 1048576, memory.activations / 1048576,
                memory.probe_f64 / 1048576, memory.checkpoints / 1048576, peak / 1048576, ratio);
    EXPECT_LE(peak, memory.total()) << c.name;
    EXPECT_GE(ratio, kLowest) << c.name;
    EXPECT_GE(estimate_run_bytes(c.run), memory.total());
  }
#endif
}

TEST(LabMemory, RunsOverTheBudgetAreRefusedNamingTheirLargestPart) {
  RunConfig run = default_sized_run(mask_spec(PatternKind::kForward), HeadKind::kSoftmax, 100, 10);
  run.memory_budget_mib = 1;
  try {
    Trainer trainer(run, nullptr);
    ADD_FAILURE() << "a run over its budget was made";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
    EXPECT_EQ(error.param(), "batch");
    const std::string what = error.what();
    EXPECT_EQ(what.rfind("train needs ~", 0), 0u) << what;
    EXPECT_NE(what.find("over the memory budget of 1 MiB (weights and AdamW "), std::string::npos) << what;
    EXPECT_NE(what.find("): lower batch, n or layers"), std::string::npos) << what;
  }
  run.memory_budget_mib = 32;  // the default model fits (~22 MiB estimated, 17 counted)
  Trainer fits(run, nullptr);
  EXPECT_EQ(fits.steps_taken(), 0);

  // A checkpoint every step of a long run: the kept checkpoints dominate (1,000,002 x 8 heads x (64^2 + 64)
  // doubles and the logits copy: 258,301 MiB).
  RunConfig many = default_sized_run(mask_spec(PatternKind::kForward), HeadKind::kSoftmax, 1000000, 1);
  try {
    Trainer trainer(many, nullptr);
    ADD_FAILURE() << "a run over its budget was made";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
    EXPECT_EQ(error.param(), "checkpoint_every");
    const std::string what = error.what();
    EXPECT_NE(what.find("over the memory budget of 1024 MiB (weights and AdamW 2, activations 15, f64 probe 0, "
                        "checkpoints 258301 MiB"),
              std::string::npos) << what;
    EXPECT_NE(what.find("MiB): checkpoint less often (a larger checkpoint interval) or lower n"), std::string::npos)
        << what;
  }
  // A wide model on one short sequence: the weights dominate.
  RunConfig wide = test::copy_run(PatternKind::kForward, HeadKind::kSoftmax, 10);
  wide.model.width = 4096;
  wide.batch = 1;
  wide.memory_budget_mib = 64;
  try {
    Trainer trainer(wide, nullptr);
    ADD_FAILURE() << "a run over its budget was made";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
    EXPECT_EQ(error.param(), "width") << error.what();
  }
  run.memory_budget_mib = 0;
  expect_error([&] { Trainer trainer(run, nullptr); }, ErrorCode::kInvalidArgument,
               "memory_budget_mib=0 must be in [1, 1048576]");
}

}  // namespace
}  // namespace attnrank::lab
