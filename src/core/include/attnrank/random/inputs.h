// Seeded inputs Q, K (and V for later depth experiments): n x d matrices of N(0, 1) entries drawn from
// Rng in a fixed order (Q row-major, then K, then V), optionally with repeated tokens (token i reuses
// the raw vector of token i mod r) and RoPE (rotary position embedding, Su et al. 2021, base 10000)
// applied to Q and K after the repetition, so repeated tokens at different positions still differ.
#pragma once

#include <cstdint>

#include "attnrank/base/glossary.h"

namespace attnrank {

struct InputSpec {
  int n = 64;
  int d = 8;
  std::uint64_t seed = 0;
  bool rope = false;
  int repeat_period = 0;  // r: 0 = every token distinct; else token i copies token i mod r
};

struct InputMatrices {
  MatrixXd q;  // (n, d)
  MatrixXd k;  // (n, d)
  MatrixXd v;  // (n, d)
};

void validate_input_spec(const InputSpec& spec);
InputMatrices generate_inputs(const InputSpec& spec);
// Q and K only (v left empty, 0 x 0), bit for bit those of generate_inputs(spec): V is drawn last. For the
// requests that never read V (analyze(), the claims' context).
InputMatrices generate_query_key_inputs(const InputSpec& spec);

// Rotates pairs (2t, 2t+1) of each row i by angle i * 10000^(-2t/d); an odd last column is left alone.
void apply_rope(MatrixXd& x);

}  // namespace attnrank
