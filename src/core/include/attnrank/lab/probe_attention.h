// The probe sequence's learned attention at a checkpoint, compact enough for the lab's gallery: per layer
// and head the n x n matrix quantised to 8 bits against its own maximum, q_ij = round(255 a_ij / max a),
// stored row-major as base64 (RFC 4648, with padding); a_ij is recovered as q_ij * scale with
// scale = max a / 255 (0 for an all-zero matrix), to within scale / 2. Exact zeros (masked entries) stay 0.
// `attnrank train --attention-out FILE` writes one result per checkpoint (one JSONL line); the gallery
// (docs/lab-gallery.md) keeps a few. Not here: choosing checkpoints, files.
#pragma once

#include <cstdint>
#include <string>

#include "attnrank/io/result_fields.h"
#include "attnrank/lab/run_output.h"
#include "attnrank/lab/trainer.h"

namespace attnrank::lab {

struct QuantizedAttention {
  double scale = 0.0;  // a_ij ~ q_ij * scale
  std::string bytes;   // n * n bytes, row-major
};
// Refuses (kNumericalFailure) a matrix with a negative or non-finite entry: attention weights are in [0, 1].
QuantizedAttention quantize_attention(const MatrixXd& attention);

std::string base64(const std::string& bytes);

// {config, seed, step, n, tokens, heads: [{layer, head, pattern, attention, scale, data}]} (result_fields.h's
// lab_probe_attention).
ResultValue probe_attention_result(const Trainer& trainer, const RunLabel& label, const Checkpoint& checkpoint);

}  // namespace attnrank::lab
