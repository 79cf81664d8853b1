// The memory budget: before a request allocates anything, estimate the peak heap bytes it needs and
// refuse it (kTooLarge, a message naming the estimate, the budget and what to lower) when the estimate
// exceeds the budget. The estimates count the matrices alive at each phase of analyze(), run_collapse()
// and run_mixture() (docs/memory.md lists them, with the measured peaks they were checked against).
// Leaves out: the JS copies of results (outside the wasm heap) and the architecture counts (their masks
// are bounded by n_in + n_out <= 4096).
#pragma once

#include <cstdint>
#include <string>

#include "param_ranges.h"

namespace attnrank {

struct AnalysisConfig;
struct CollapseConfig;
struct MixtureConfig;
struct PermutationConfig;

// The default fits a wasm worker with -sMAXIMUM_MEMORY=2GB with room for the module, its stack and the
// allocator's slack; the CLI takes the same default (--memory-limit MiB raises or lowers it).
inline constexpr int kDefaultMemoryBudgetMiB = 1024;
inline constexpr ParamRange kMemoryBudgetRange{"memory_budget_mib", 1, 1048576};  // 1 MiB .. 1 TiB
inline constexpr std::int64_t kBytesPerMiB = 1024 * 1024;

// Peak heap bytes of one request. analyze: config validated; collapse: config resolved
// (resolved_collapse_config); mixture: config validated.
std::int64_t estimate_analysis_bytes(const AnalysisConfig& config);
std::int64_t estimate_collapse_bytes(const CollapseConfig& resolved);
std::int64_t estimate_mixture_bytes(const MixtureConfig& config);
std::int64_t estimate_permutation_bytes(const PermutationConfig& config);

// Throws kTooLarge "<request> needs ~E MiB, over the memory budget of B MiB: <advice>" when bytes exceed
// budget_mib MiB; kInvalidArgument when budget_mib is outside kMemoryBudgetRange.
void require_within_budget(const std::string& request, std::int64_t bytes, long long budget_mib,
                           const std::string& advice);

// The checks analyze(), run_collapse(), run_mixture() and run_permutation_test() call after validation,
// before allocating.
void require_analysis_within_budget(const AnalysisConfig& config);
void require_collapse_within_budget(const CollapseConfig& resolved);
void require_mixture_within_budget(const MixtureConfig& config);
void require_permutation_within_budget(const PermutationConfig& config);

}  // namespace attnrank
