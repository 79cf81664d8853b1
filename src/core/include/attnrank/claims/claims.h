// Live verdicts on the essay's claims (claims_catalogue.h, docs/claims.md) for one configuration: the same
// AnalysisConfig as analyze() (n, d, seed, rope, repeat or loaded Q, K; scale s; precision; feature map
// and m), validated with analyze()'s ranges and messages. Each claim fixes its own pattern and kind, so
// the config's pattern, kind, prefix, window and custom mask are validated but not used. Q, K are drawn
// once and shared by every claim; C10 (mixture.h) and C16 (permutation.h) draw their own seeded X and
// weights from the same seed, with d_model = 2 max(d, 2) (two heads of max(d, 2)) and d_model = d.
//
// Checks and thresholds (numerical rank r_p = #{s_i > s_1 n eps_p} in the request's precision p):
//   C1  logits_rank <= d.        C2  n >= kMuchLargerRatio d here; the BERT-base head (512, 64) is n >= 4 d.
//   C3  bidirectional softmax: r_p < n, and effective rank < kLowEffectiveRankFraction n.
//   C4  causal softmax: structurally full rank (algebra), and r_p == n (numerics). C5: facts only.
//   C6  bidirectional linear attention: r_p <= f (elu1, and the configured map).   (needs s >= 0)
//   C7  causal linear attention triangular with a positive diagonal (elu1, and the configured map).
//   C8  r_p(bidirectional softmax) > logits_rank.   C10  every mixture head triangular with a positive
//   diagonal; A_bwd A_fwd entrywise > 0.   C13  facts only.   C14  max / min flops per token of GPT,
//   UniLM, T5 <= kComparableCostRatio, on the request's sizes: n_in = n (the request's tokens as the input
//   length), the rest the arch reference (ArchitectureConfig defaults: d_model 512, L 6, H 8, d_ff 2048,
//   V 32000, n_out 128); C13's parameter counts stay at that reference.   C16  bidirectional layer equivariant,
//   causal layer not (permutation.h tolerance).   C17  det > 0 iff positive diagonal (algebra); the naive
//   double product of A_ii is nonzero; det != 0 agrees with r_p == n.   C9, C11, C12, C15: no verdict.
// Cost: about four n x n SVDs (bidirectional and causal softmax, causal linear for elu1 and the configured
// map) plus the mixture's five (two heads, product, split head, output); measured in docs/claims.md.
// Memory: one analyze() or run_mixture() peak at a time (matrices are read and dropped at once), each
// checked against the config's memory_budget_mib, and the whole request checked first
// (estimate_claims_bytes).
#pragma once

#include <cstdint>
#include <vector>

#include "attnrank/claims/claims_catalogue.h"
#include "attnrank/claims/claims_verdict.h"
#include "attnrank/experiments/analysis.h"
#include "attnrank/experiments/architecture.h"
#include "attnrank/experiments/mixture.h"

namespace attnrank {

// "n >> d" read as n >= 4 d (a d x n factor then leaves at least 3/4 of the n dimensions uncovered).
inline constexpr int kMuchLargerRatio = 4;
// C3's "low rank" in the effective-rank sense: below half of n (Roy & Vetterli 2007's effective rank).
inline constexpr double kLowEffectiveRankFraction = 0.5;
// C14's "about the same inference cost": the most and least expensive per token within 25%.
inline constexpr double kComparableCostRatio = 1.25;
// C10: the mixture runs with the mixture's default H heads (half forward, half backward) of head dimension
// max(d, 2): the explorer's heads view at its default H runs the same mixture, so their numbers agree.
inline constexpr int kClaimsMixtureHeads = kMixtureHeads;

struct ClaimResult {
  const ClaimEntry* entry = nullptr;  // into claim_catalogue()
  ClaimVerdict verdict;
};

// C14's architecture for a request of n tokens: ArchitectureConfig's defaults with n_in = n.
ArchitectureConfig claim_c14_architecture(int n);
// C14's verdict ("GPT, UniLM and T5 have about the same inference cost") for any architecture: holds when
// the most and least FLOPs per token are within kComparableCostRatio; facts: the sizes and the counts.
ClaimVerdict claim_c14_verdict(const ArchitectureConfig& architecture);

// Validates like analyze(), plus the favor feature count whenever feature is favor (linear claims always
// run linear attention).
void validate_claims_config(const AnalysisConfig& config);

// Peak heap bytes of one evaluate_claims() request (issue 16 item 7): the largest estimate of its runs
// (the analyses of claims_context.cpp, C10's mixture, C16's two permutation tests, one at a time) on top
// of what it holds between them (Q, K and the kept results). evaluate_claims() refuses a request over
// config.memory_budget_mib with it (kTooLarge, "claims n=.., d=.. needs ~E MiB ...") before drawing
// anything; before, each run was checked alone and the request's peak was up to 1.8x the estimate.
std::int64_t estimate_claims_bytes(const AnalysisConfig& config);

// One result per catalogue entry, in catalogue order. Every fact is finite.
std::vector<ClaimResult> evaluate_claims(const AnalysisConfig& config);

}  // namespace attnrank
