// The singular values behind logits_rank (declared in attnrank/stats/rank_stats.h): exposed for the tests that
// hold them against a direct SVD of Q K^T (tests/native/test_logits_rank.cpp). Not here: validation and the
// scaling to unit size, which logits_rank does before calling this.
#pragma once

#include "attnrank/base/glossary.h"

namespace attnrank {

// Singular values of Q K^T, descending, for finite q (n, d) and k (m, d) with entries of moderate size (logits_rank
// passes them scaled to max|entry| in [1, 2)). For d < n and d < m: the d values of the core R_Q R_K^T of
// two thin Householder QRs (the other singular values of Q K^T are 0); otherwise those of Q K^T formed.
VectorXd logits_singular_values(const MatrixXd& q_unit, const MatrixXd& k_unit);

}  // namespace attnrank
