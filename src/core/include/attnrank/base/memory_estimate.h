// The memory budget: before a request allocates anything, estimate the peak heap bytes it needs and
// refuse it (kTooLarge, a message naming the estimate, the budget and what to lower) when the estimate
// exceeds the budget. Each experiment counts its own matrices alive at each phase beside its code
// (estimate_analysis_bytes in analysis.h, estimate_collapse_bytes in collapse.h, ...); this header holds
// what they share: the budget, the unit sizes, the margin and the check (docs/memory.md lists the counts,
// with the measured peaks they were checked against).
// Leaves out: the JS copies of results (outside the wasm heap) and the architecture counts (their masks
// are bounded by n_in + n_out <= 4096).
#pragma once

#include <cstdint>
#include <string>

#include "attnrank/base/param_ranges.h"

namespace attnrank {

// The default fits a wasm worker with -sMAXIMUM_MEMORY=2GB with room for the module, its stack and the
// allocator's slack; the CLI takes the same default (--memory-limit MiB raises or lowers it).
inline constexpr int kDefaultMemoryBudgetMiB = 1024;
inline constexpr ParamRange kMemoryBudgetRange{"memory_budget_mib", 1, 1048576};  // 1 MiB .. 1 TiB
inline constexpr std::int64_t kBytesPerMiB = 1024 * 1024;

// Unit sizes in the counts (doubles, so that n^2 terms do not overflow).
inline constexpr double kDoubleBytes = 8.0;
inline constexpr double kFloatBytes = 4.0;
inline constexpr double kByteBytes = 1.0;
// Fixed slack per request: small vectors, RankStats, the bidiagonal, allocator headers (measured < 1 MiB).
inline constexpr double kOverheadBytes = 1.0 * kBytesPerMiB;
// The allocator's fragmentation on top of the counted matrices: the measured high-water mark exceeded the
// bare count by up to 4% (docs/memory.md), so every estimate is scaled by this margin.
inline constexpr double kFragmentationMargin = 1.05;

// A counted peak (bytes) scaled by kFragmentationMargin and rounded up, saturating far above any budget.
std::int64_t to_estimate_bytes(double counted);

// Throws kTooLarge "<request> needs ~E MiB, over the memory budget of B MiB: <advice>" (param: the
// request's size parameter, usually "n") when bytes exceed budget_mib MiB; kInvalidArgument when
// budget_mib is outside kMemoryBudgetRange.
void require_within_budget(const std::string& request, std::int64_t bytes, long long budget_mib,
                           const std::string& advice);

}  // namespace attnrank
