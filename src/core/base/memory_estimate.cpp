// The memory budget's shared part: the margin applied to every count and the check that refuses a request
// over the budget. The counts themselves live beside the code they count (experiments/*.cpp,
// stats/rank_stats.cpp).
#include "attnrank/base/memory_estimate.h"

#include <algorithm>
#include <cmath>

#include "attnrank/base/errors.h"

namespace attnrank {

std::int64_t to_estimate_bytes(double counted) {
  constexpr double kMax = 9.0e18;  // int64 holds it; no request comes near
  return static_cast<std::int64_t>(std::ceil(std::min(counted * kFragmentationMargin, kMax)));
}

void require_within_budget(const std::string& request, std::int64_t bytes, long long budget_mib,
                           const std::string& advice) {
  require_in_range(kMemoryBudgetRange.name, budget_mib, kMemoryBudgetRange.min, kMemoryBudgetRange.max);
  if (bytes <= budget_mib * kBytesPerMiB) return;
  const long long needed_mib = (bytes + kBytesPerMiB - 1) / kBytesPerMiB;
  fail(ErrorCode::kTooLarge, "n", message(request, " needs ~", needed_mib, " MiB, over the memory budget of ", budget_mib,
                                     " MiB: ", advice));
}

}  // namespace attnrank
