// The usage text (see usage.h). A command's flags are the registry parameters that name its request, in
// registry order; each shows its default for the command, or its choices, or the kind of value it takes.
#include "usage.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <vector>

#include "attnrank/base/errors.h"
#include "attnrank/base/parameter_registry.h"
#include "attnrank/base/pattern_registry.h"
#include "options.h"

namespace attnrank::cli {
namespace {

constexpr std::size_t kWidth = 112;          // the synopsis wraps at this column
constexpr std::size_t kChoicesInline = 30;   // longer choice lists show as the parameter's name
constexpr std::size_t kNameColumn = 15;      // where a command's description starts

struct Command {
  const char* name;
  unsigned request;              // its RequestKind, or 0 (limits, parameters, schema: no request)
  std::vector<const char*> own;  // the registry parameters of a command without a request
  const char* description;       // one paragraph, lines joined by '\n'
};

// In the order `attnrank help` lists them.
const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"stats", kRequestStats, {},
       "one attention matrix and its rank statistics (numerical, effective, stable and 99%-energy rank,\n"
       "sigma_max/min, condition number, log|det|; keys: docs/result-schema.md)"},
      {"sweep", kRequestSweep, {},
       "the statistics of stats over the values of n, d or scale (--over and --values are required), per pattern"},
      {"collapse", kRequestCollapse, {},
       "rank collapse across depth: residual r_l = ||X_l - 1 mean(X_l)||_F / ||X_l||_F per layer, the\n"
       "composite l1,l_inf residual, and the product of the attention matrices (path view); docs/depth.md.\n"
       "patterns also forward_backward (odd layers forward, even backward); variants: pure or skip, mlp,\n"
       "layernorm joined by '+'; a pattern may also be a per-layer list joined by '+' (forward+backward+window:\n"
       "layer 1 forward, 2 backward, 3 window, 4 forward, ...)"},
      {"mixture", kRequestMixture, {},
       "H heads (even): the first H/2 forward, the rest backward; per-head ranks, the two-layer product\n"
       "A_bwd A_fwd (every entry > 0), the split head (both triangles in one head), the concatenated output"},
      {"arch", kRequestArch, {}, "parameters and inference FLOPs of gpt, unilm and t5 (L encoder + L decoder layers) at equal width"},
      {"permutation", kRequestPermutation, {},
       "one attention layer, no positional encoding: max |f(P X) - P f(X)| for a seeded permutation P\n"
       "(bidirectional: rounding only; causal masks see token order)"},
      {"claims", kRequestClaims, {},
       "live verdicts on the essay's claims C1..C17 (docs/claims.md): id, tag, status, checks, facts; the\n"
       "options of stats"},
      {"limits", 0, {}, "the parameter ranges the core enforces (the wasm module's limits())"},
      {"parameters", 0, {},
       "the parameter registry as JSON (the wasm module's parameters()): types, ranges, defaults, flags, URL keys"},
      {"train", kRequestTrain, {},
       "trains the lab's transformer (design-lab.md sections 1-4, README \"The training lab\"); one record per\n"
       "checkpoint (step, losses, accuracy, per layer/head rank statistics of the probe's attention); masks and\n"
       "attention per layer/head: P, P1/P2 (heads in blocks), L1+L2 (layers, cycled), mix-heads, mix-layers;\n"
       "task options: symbols, min and max length (copy, reverse), pairs, keys, values (mqar); save and load\n"
       "carry a run's weights and AdamW state (a load continues it bit for bit); attention-out writes the probe's\n"
       "attention per checkpoint, 8-bit; list-experiments prints the lab's experiments (design-lab.md section 3),\n"
       "verdicts FILES the claims' verdicts from records (JSONL files; at-step: each run's record at that step)"},
      {"schema", 0, {"json"}, "the keys of every result with their type and meaning (docs/result-schema.md is its output)"},
  };
  return table;
}

// What a flag's value is on `request`'s line (request 0: no request, the registry's default): its default
// there, its choices, or the kind of value (INT, NUMBER, TEXT, LIST).
std::string value_word(const ParameterInfo& p, RequestKind request) {
  switch (p.type) {
    case ParamType::kBoolean: return "";
    case ParamType::kText: {
      const std::string value = parameter_default(p, request);
      return value.empty() ? "TEXT" : value;
    }
    case ParamType::kList: return "LIST";
    case ParamType::kChoice: {
      std::string choices;
      for (const std::string& choice : parameter_choices(p)) choices += (choices.empty() ? "" : "|") + choice;
      if (choices.size() <= kChoicesInline) return choices;
      std::string name = p.name;
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      return name;
    }
    case ParamType::kInteger:
    case ParamType::kNumber: {
      const std::string value = parameter_default(p, request);
      if (!value.empty()) return value;
      return p.type == ParamType::kInteger ? "INT" : "NUMBER";
    }
  }
  return "";
}

std::string item(const ParameterInfo& p, RequestKind request) {
  const std::string value = value_word(p, request);
  return std::string("--") + p.cli_flag + (value.empty() ? "" : " " + value);
}

// The bracketed items of a command's flags, in registry order; q and k as one pair.
std::vector<std::string> items_of(const Command& command) {
  std::vector<std::string> out;
  const auto request = static_cast<RequestKind>(command.request);
  const auto applies = [&command](const ParameterInfo& p) {
    if (*p.cli_flag == '\0') return false;
    if (command.request != 0) return (p.requests & command.request) != 0;
    return std::find_if(command.own.begin(), command.own.end(),
                        [&p](const char* name) { return std::string(name) == p.name; }) != command.own.end();
  };
  const bool has_pair = command.request != 0 && applies(parameter_info("q")) && applies(parameter_info("k"));
  for (const ParameterInfo& p : parameter_registry()) {
    if (!applies(p)) continue;
    const std::string name = p.name;
    if (has_pair && name == "k") continue;
    if (has_pair && name == "q") {
      out.push_back("[" + item(p, request) + " " + item(parameter_info("k"), request) + "]");
      continue;
    }
    out.push_back("[" + item(p, request) + "]");
  }
  return out;
}

// "  attnrank <name> " then the items, wrapped at kWidth under the first item.
std::string synopsis_of(const Command& command) {
  const std::string head = std::string("  attnrank ") + command.name;
  const std::string indent(head.size() + 1, ' ');
  std::vector<std::string> items;
  items = items_of(command);
  std::string out = head;
  std::size_t column = out.size();
  for (const std::string& entry : items) {
    if (column + 1 + entry.size() > kWidth && column > head.size()) {
      out += "\n" + indent + entry;
      column = indent.size() + entry.size();
    } else {
      out += " " + entry;
      column += 1 + entry.size();
    }
  }
  return out + "\n";
}

// The names of the requests (commands) a parameter applies to, "stats, sweep, claims".
std::string commands_of(const ParameterInfo& p) {
  std::string out;
  for (const Command& command : commands()) {
    if (command.request != 0 && (p.requests & command.request) != 0) out += (out.empty() ? "" : ", ") + std::string(command.name);
  }
  return out;
}

// One line per CLI option of the parameter registry: "  --d-model  integer in [1, 65536], default 8 (mixture
// 64, arch 512); collapse, mixture, arch, permutation".
std::string option_lines() {
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
    std::string requests;
    for (unsigned bit = 0; bit < kRequestCount; ++bit) {
      const auto request = static_cast<RequestKind>(1u << bit);
      if ((p.requests & request) == 0 || request == kRequestPage) continue;
      requests += (requests.empty() ? "" : ", ") + std::string(request_name(request));
      const std::string value = parameter_default(p, request);
      if (value != p.default_value && !value.empty()) requests += " " + value;
      const ParamRange* range = parameter_range(p, request);  // train's n, layers, seed (param_ranges.h)
      if (range != p.range && range != nullptr) requests += message(" in [", range->min, ", ", range->max, "]");
    }
    out += line + "; " + requests + "\n";
  }
  return out;
}

std::string flags_of(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "--" : ", --") + std::string(parameter_info(name).cli_flag);
  return out;
}

}  // namespace

std::string usage_synopsis() {
  std::string out = "usage:\n";
  for (const Command& command : commands()) out += synopsis_of(command);
  return out;
}

std::string usage() {
  std::string out = usage_synopsis() + "\ncommands:\n";
  for (const Command& command : commands()) {
    std::string line = std::string("  ") + command.name;
    line.resize(std::max<std::size_t>(line.size() + 1, kNameColumn), ' ');
    for (const char c : std::string(command.description)) line += c == '\n' ? "\n" + std::string(kNameColumn, ' ') : std::string(1, c);
    out += line + "\n";
  }
  const ParameterInfo& q = parameter_info("q");
  out += "inputs: " + commands_of(q) + " take the user's Q and K (--q FILE --k FILE: .npy, float32 or float64,\n" +
         "        shape (n, d)) instead of the seeded inputs: " + flags_of(refused_with_user_inputs()) +
         " are refused beside them\n";
  out += "patterns: " + joined_names(fixed_pattern_names()) + "\n";
  out += "options (from the core's parameter registry: type, range or choices, default, commands):\n";
  out += option_lines();
  const ParameterInfo& memory = parameter_info("memory_budget_mib");
  out += std::string("memory: --") + memory.cli_flag + " MiB (default " + memory.default_value + "; " + commands_of(memory) +
         "): a request whose\n        estimated peak memory exceeds it is refused before it allocates (docs/memory.md)\n";
  return out;
}

}  // namespace attnrank::cli
