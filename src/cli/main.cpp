// `attnrank`: the native command-line tool. Subcommands stats, sweep, collapse, mixture, arch,
// permutation, claims, limits, parameters; the same core and the same JSON as the wasm module.
// Exit codes: 0 success, 2 bad input (message on stderr), 1 anything else.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/base/parameter_registry.h"
#include "attnrank/base/pattern_registry.h"
#include "commands.h"

namespace {

constexpr const char* kUsage = R"(usage:
  attnrank stats --pattern P [--prefix p] [--window w] (--n N --d D --seed S [--rope] [--repeat r] | --q Q.npy --k K.npy)
                 [--scale s] [--kind softmax|linear] [--feature elu1|relu|exp|favor] [--features m]
                 [--precision f64|f32] [--json] [--dump-matrix A.npy]
  attnrank sweep --over n|d|scale --values LIST [same options] [--patterns LIST] [--csv|--json]
  attnrank collapse [--n 64] [--d-model 8] [--d-k D] [--d-ff F] [--layers 12] [--scale s] [--seed S]
                    [--prefix p] [--window w] [--patterns LIST] [--variants LIST] [--csv|--json]
      rank collapse across depth: residual r_l = ||X_l - 1 mean(X_l)||_F / ||X_l||_F per layer, the
      composite l1,l_inf residual, and the product of the attention matrices (path view); docs/depth.md.
      patterns also forward_backward (odd layers forward, even backward); variants: pure or skip, mlp,
      layernorm joined by '+' (default pure,skip,mlp,layernorm,skip+mlp+layernorm); d-k default d-model,
      d-ff default 4 d-model; a pattern may also be a per-layer list joined by '+' (forward+backward+window:
      layer 1 forward, 2 backward, 3 window, 4 forward, ...)
  attnrank mixture [--n 64] [--d-model 64] [--heads 4] [--scale s] [--seed S] [--json]
      H heads (even): the first H/2 forward, the rest backward; per-head ranks, the two-layer product
      A_bwd A_fwd (every entry > 0), the split head (both triangles in one head), the concatenated output
  attnrank arch [--d-model 512] [--layers 6] [--heads 8] [--d-ff 2048] [--vocab 32000] [--n-in 512]
                [--n-out 128] [--csv|--json]
      parameters and inference FLOPs of gpt, unilm and t5 (L encoder + L decoder layers) at equal width
  attnrank permutation [--n 64] [--d-model 8] [--scale s] [--seed S] [--patterns LIST] [--json]
      one attention layer, no positional encoding: max |f(P X) - P f(X)| for a seeded permutation P
      (bidirectional: rounding only; causal masks see token order)
  attnrank claims [the options of stats] [--json] [--lang en|zh]
      live verdicts on the essay's claims C1..C17 (docs/claims.md): id, tag, status, checks, facts
  attnrank limits
  attnrank parameters
      the parameter registry as JSON (the wasm module's parameters()): types, ranges, defaults, flags, URL keys
  attnrank train [--task mlm|order|prefix|mqar|lm-vs-mlm|copy|reverse] [--masks M] [--attention A]
                 [--configs LIST|task] [--seed S | --seeds LIST] [--n 64] [--width 64] [--heads 4] [--layers 2]
                 [--positions learned|none] [--prefix p] [--window w] [--steps 1500] [--batch 16]
                 [--learning-rate 1e-3] [--warmup-fraction 0.05] [--final-fraction 0.1] [--weight-decay 0.1]
                 [--clip-norm 1] [--checkpoint-every 100] [--heldout-batches 4] [--format jsonl|csv] [--out FILE]
                 [--save FILE] [--load FILE] [--stop-after K] [--dump-dir D] [--corpus FILE] [--quiet] [--list-configs]
      trains the lab's transformer (design-lab.md sections 1-4, README "The training lab"); one record per
      checkpoint (step, losses, accuracy, per layer/head rank statistics of the probe's attention); masks and
      attention per layer/head: P, P1/P2 (heads in blocks), L1+L2 (layers, cycled), mix-heads, mix-layers;
      task options --symbols --min-length --max-length (copy, reverse), --pairs --keys --values (mqar);
      --save/--load a run's weights and AdamW state (--load continues it bit for bit)
  attnrank schema [--json]
      the keys of every result with their type and meaning (docs/result-schema.md is its output)
patterns: {patterns}
options (from the core's parameter registry: type, range or choices, default, commands):
{options}memory: stats, sweep, collapse, mixture, permutation take [--memory-limit MiB] (default 1024): a request whose
        estimated peak memory exceeds it is refused before it allocates (docs/memory.md)
)";

// One line per CLI option of the parameter registry: "  --d-model  integer in [1, 65536], default 8 (mixture
// 64, arch 512); collapse, mixture, arch, permutation".
std::string option_lines() {
  using namespace attnrank;
  std::string out;
  for (const ParameterInfo& p : parameter_registry()) {
    if (*p.cli_flag == '\0') continue;
    std::string line = std::string("  --") + p.cli_flag;
    line.resize(std::max<std::size_t>(line.size() + 1, 18), ' ');
    line += param_type_name(p.type);
    if (p.range != nullptr) line += message(" in [", p.range->min, ", ", p.range->max, "]");
    if (p.type == ParamType::kChoice) line += " of " + joined_names(parameter_choices(p));
    if (*p.default_value != '\0') line += std::string(", default ") + p.default_value;
    if (*p.note != '\0') line += std::string(", default ") + p.note;
    std::string commands;
    for (unsigned bit = 0; bit < kRequestCount; ++bit) {
      const auto request = static_cast<RequestKind>(1u << bit);
      if ((p.requests & request) == 0 || request == kRequestPage) continue;
      commands += (commands.empty() ? "" : ", ") + std::string(request_name(request));
      const std::string value = parameter_default(p, request);
      if (value != p.default_value && !value.empty()) commands += " " + value;
    }
    out += line + "; " + commands + "\n";
  }
  return out;
}

// kUsage with the pattern registry's names in place of {patterns}, the parameter registry's options in
// place of {options}.
std::string usage() {
  std::string text = kUsage;
  for (const auto& [slot, value] : {std::pair<std::string, std::string>{"{patterns}", attnrank::joined_names(
                                                                            attnrank::fixed_pattern_names())},
                                    {"{options}", option_lines()}}) {
    text.replace(text.find(slot), slot.size(), value);
  }
  return text;
}

constexpr int kExitBadInput = 2;
constexpr int kExitFailure = 1;

// A command's output is only delivered once stdout's buffer is flushed: a full disk or a closed pipe
// reports there, and must fail the run instead of exiting 0 with the output lost.
int with_output_delivered(int status) {
  errno = 0;
  std::cout.flush();
  if (std::cout) return status;
  const std::string reason = errno != 0 ? std::string(" (") + std::strerror(errno) + ")" : "";
  std::cerr << "attnrank: cannot write the output to stdout" << reason << "\n";
  return kExitFailure;
}

// One command, its errors turned into the exit status (2 bad input, 1 numerical or internal failure).
int run_command(const std::string& command, const std::vector<std::string>& rest) {
  try {
    if (command == "stats") return attnrank::cli::run_stats(rest, std::cout);
    if (command == "sweep") return attnrank::cli::run_sweep(rest, std::cout);
    if (command == "collapse") return attnrank::cli::run_collapse(rest, std::cout);
    if (command == "mixture") return attnrank::cli::run_mixture(rest, std::cout);
    if (command == "permutation") return attnrank::cli::run_permutation(rest, std::cout);
    if (command == "arch") return attnrank::cli::run_arch(rest, std::cout);
    if (command == "claims") return attnrank::cli::run_claims(rest, std::cout);
    if (command == "limits") return attnrank::cli::run_limits(rest, std::cout);
    if (command == "parameters") return attnrank::cli::run_parameters(rest, std::cout);
    if (command == "train") return attnrank::cli::run_train(rest, std::cout);
    if (command == "schema") return attnrank::cli::run_schema(rest, std::cout);
    std::cerr << "attnrank: unknown command '" << attnrank::printable(command) << "'\n" << usage();
    return kExitBadInput;
  } catch (const attnrank::Error& error) {
    std::cerr << "attnrank: " << error.what() << "\n";
    return error.code() == attnrank::ErrorCode::kNumericalFailure ? kExitFailure : kExitBadInput;
  } catch (const std::exception& error) {
    std::cerr << "attnrank: internal error: " << error.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
    std::cout << usage();
    return with_output_delivered(words.empty() ? kExitBadInput : 0);
  }
  const std::string command = words[0];
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  return with_output_delivered(run_command(command, rest));
}
