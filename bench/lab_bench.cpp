// Native timing of one training step of the lab (design-lab.md sections 1-4: the batch drawn from the
// task's stream, forward, backward, clipping and AdamW, all inside Trainer::step()) per configuration:
// the median CPU time and wall time of a step after a warm-up, and the process's peak RSS. The trainer is
// built exactly as `attnrank train` builds it (the task decides the vocabulary and the objective), with
// one checkpoint at the end only, so no step pays for a held-out evaluation. A benchmark, never a test.
// Usage: attnrank_lab_bench --corpus FILE [--task lm-vs-mlm] [--configs forward:softmax,...] [--n 64]
//        [--width 64] [--heads 4] [--layers 2] [--batch 16] [--steps 100] [--warmup 10]
//        [--vector-path auto|128]
// prints CSV: config,vocab,n,width,heads,layers,batch,steps,median_step_ms_cpu,median_step_ms_wall,
// steps_per_s_cpu,tokens_per_s_cpu,base_rss_kb,peak_rss_kb,kernel_isa (RSS before the first trainer, with
// the corpus loaded, and the process's peak after that configuration: run one configuration per process
// for each one's own peak; lab-bench.mjs does). Tokens per step = batch * n (the input tokens).
// kernel_isa: the kernels' vector path (src/core/lab/kernels.h: "avx2" where the CPU has it, else "sse2");
// --vector-path 128 takes the 128-bit path (the same bits, to time it beside the 256-bit one).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/lab/corpus.h"
#include "attnrank/lab/run_layout.h"
#include "attnrank/lab/run_request.h"
#include "attnrank/lab/tasks.h"
#include "attnrank/lab/trainer.h"
#include "lab/kernels.h"

#include "bench_lists.h"

namespace {

using attnrank::bench::split_commas;

using namespace attnrank::lab;

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// VmRSS of /proc/self/status in kB (0 when unreadable).
long resident_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

// The run `attnrank train --task T --configs M:A --seed 1` makes (lab/run_request.h, the CLI's and the
// wasm lab's defaults and checks), with one checkpoint at the end only and one held-out batch.
RunConfig bench_config(const std::map<std::string, int>& sizes, const std::string& task, const RunVariant& variant,
                       const std::shared_ptr<const Corpus>& corpus) {
  RunRequest request;
  request.task = task;
  request.n = sizes.at("n");
  request.width = sizes.at("width");
  request.heads = sizes.at("heads");
  request.layers = sizes.at("layers");
  request.batch = sizes.at("batch");
  request.steps = sizes.at("warmup") + sizes.at("steps") + 1;  // + 1: the last step takes the final checkpoint
  request.checkpoint_every = *request.steps;
  request.heldout_batches = 1;
  return run_config(run_base(request), variant, 1, corpus);
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> text{
      {"task", "lm-vs-mlm"}, {"configs", "forward:softmax"}, {"corpus", ""}, {"vector-path", "auto"}};
  std::map<std::string, int> sizes{{"n", 64},      {"width", 64}, {"heads", 4},   {"layers", 2},
                                   {"batch", 16},  {"steps", 100}, {"warmup", 10}};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = std::string(argv[i]).substr(2);
    if (text.count(key) != 0) {
      text[key] = argv[i + 1];
    } else if (sizes.count(key) != 0) {
      sizes[key] = std::atoi(argv[i + 1]);
    } else {
      std::cerr << "attnrank_lab_bench: unknown option " << argv[i] << "\n";
      return 2;
    }
  }
  if (text["vector-path"] != "auto" && text["vector-path"] != "128") {
    std::cerr << "attnrank_lab_bench: --vector-path is auto or 128, not " << text["vector-path"] << "\n";
    return 2;
  }
  if (text["vector-path"] == "128") set_wide_vectors(false);
  try {
    const TaskKind kind = parse_task(text["task"]);
    std::shared_ptr<const Corpus> corpus;
    if (is_corpus_task(kind)) {
      std::ifstream file(text["corpus"], std::ios::binary);
      if (!file) {
        std::cerr << "attnrank_lab_bench: --corpus FILE is needed for task " << text["task"]
                  << " (the build's corpus/austen.txt)\n";
        return 2;
      }
      std::stringstream bytes;
      bytes << file.rdbuf();
      corpus = std::make_shared<const Corpus>(make_corpus(bytes.str()));
    }
    std::cout << "config,vocab,n,width,heads,layers,batch,steps,median_step_ms_cpu,median_step_ms_wall,"
                 "steps_per_s_cpu,tokens_per_s_cpu,base_rss_kb,peak_rss_kb,kernel_isa\n";
    const long base_kb = resident_kb();
    for (const std::string& entry : split_commas(text["configs"])) {
      const RunConfig config = bench_config(sizes, text["task"], parse_variant(entry), corpus);
      Trainer trainer(config, corpus);
      std::vector<double> cpu_ms, wall_ms;
      for (int step = 0; step < config.steps - 1; ++step) {  // never the last: it takes the final checkpoint
        const double cpu_start = cpu_seconds();
        const auto wall_start = std::chrono::steady_clock::now();
        trainer.step();
        if (step < sizes["warmup"]) continue;
        cpu_ms.push_back(1e3 * (cpu_seconds() - cpu_start));
        wall_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start).count());
      }
      rusage usage{};
      getrusage(RUSAGE_SELF, &usage);
      const double cpu = median(cpu_ms), tokens = static_cast<double>(config.batch) * config.model.n;
      char line[512];
      std::snprintf(line, sizeof line, "%s,%d,%d,%d,%d,%d,%d,%zu,%.3f,%.3f,%.2f,%.0f,%ld,%ld,%s\n", entry.c_str(),
                    config.model.vocab, config.model.n, config.model.width, config.model.heads, config.model.layers,
                    config.batch, cpu_ms.size(), cpu, median(wall_ms), 1e3 / cpu, 1e3 / cpu * tokens, base_kb,
                    usage.ru_maxrss, kernel_isa());
      std::cout << line << std::flush;
    }
  } catch (const attnrank::Error& error) {
    std::cerr << "attnrank_lab_bench: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
