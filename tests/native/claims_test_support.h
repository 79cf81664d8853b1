// Helpers of the claims' tests (test_claim_verdicts.cpp, test_claim_thresholds.cpp): a seeded analysis
// config, and a claim, part or fact of evaluate_claims()'s results by id or key (std::runtime_error when
// absent). Header-only.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "attnrank/claims/claims.h"
#include "attnrank/experiments/analysis.h"

namespace attnrank::test {

inline AnalysisConfig claims_config(int n, int d, std::uint64_t seed, double scale) {
  AnalysisConfig config;
  config.inputs.n = n;
  config.inputs.d = d;
  config.inputs.seed = seed;
  config.scale = scale;
  return config;
}

inline const ClaimResult& find_claim(const std::vector<ClaimResult>& results, const std::string& id) {
  for (const ClaimResult& r : results) {
    if (r.entry->id == id) return r;
  }
  throw std::runtime_error("no claim " + id);
}

inline bool part_holds(const ClaimVerdict& v, const std::string& key) {
  for (const ClaimPart& p : v.parts) {
    if (p.key == key) return p.holds;
  }
  throw std::runtime_error("no part " + key);
}

inline const ClaimFact& find_fact(const ClaimVerdict& v, const std::string& key) {
  for (const ClaimFact& f : v.facts) {
    if (f.key == key) return f;
  }
  throw std::runtime_error("no fact " + key);
}

}  // namespace attnrank::test
