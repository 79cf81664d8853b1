// Masked softmax attention (design.md section 3). Logits S = s * Q K^T / sqrt(d). For allowed (i, j):
// A_ij = exp(S_ij - m_i) / sum_{allowed j'} exp(S_ij' - m_i), m_i the row max over allowed entries;
// A_ij = 0 exactly where not allowed. No -1e4 sentinels. Rows sum to 1.
// To stay finite for any finite s (1e-300 .. 1e300), the exponent is formed as s * (G_ij - G_ref,i)
// with G = Q K^T / sqrt(d) and G_ref,i the allowed entry that maximises s * G_ij: mathematically the
// same S_ij - m_i, never inf - inf.
#pragma once

#include "attnrank/base/glossary.h"

namespace attnrank {

// G = Q K^T / sqrt(d): (n, n) unscaled logits; q and k are (n, d).
MatrixXd unscaled_logits(const MatrixXd& q, const MatrixXd& k);
MatrixXf unscaled_logits(const MatrixXf& q, const MatrixXf& k);

// A = masked softmax of s * G: (n, n), row i = weights of query i over keys; rows sum to 1.
// Validates: mask shape matches, every row keeps an entry, s finite.
MatrixXd masked_softmax(const MatrixXd& unscaled, double scale, const Mask& mask);
MatrixXf masked_softmax(const MatrixXf& unscaled, float scale, const Mask& mask);
// The same, overwriting the logits with A (the same bits as masked_softmax): analyze() keeps one n x n matrix.
void masked_softmax_in_place(MatrixXd& logits, double scale, const Mask& mask);
void masked_softmax_in_place(MatrixXf& logits, float scale, const Mask& mask);

}  // namespace attnrank
