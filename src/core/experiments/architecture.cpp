// Parameter and FLOP counts and block masks of GPT, UniLM and T5 (see architecture.h for the convention).
#include "attnrank/experiments/architecture.h"

#include "attnrank/attention/masks.h"
#include "attnrank/base/errors.h"
#include "attnrank/base/param_ranges.h"

namespace attnrank {

const char* architecture_name(ArchitectureKind kind) {
  switch (kind) {
    case ArchitectureKind::kDecoderOnly: return "gpt";
    case ArchitectureKind::kPrefixLm: return "unilm";
    case ArchitectureKind::kEncoderDecoder: return "t5";
  }
  return "unknown";
}

void validate(const ArchitectureConfig& c) {
  require_in_range(kModelDimRange.name, c.d_model, kModelDimRange.min, kModelDimRange.max);
  require_in_range(kLayersRange.name, c.layers, kLayersRange.min, kLayersRange.max);
  require_in_range(kHeadsRange.name, c.heads, kHeadsRange.min, kHeadsRange.max);
  require_in_range(kFfnDimRange.name, c.d_ff, kFfnDimRange.min, kFfnDimRange.max);
  require_in_range(kVocabRange.name, c.vocab, kVocabRange.min, kVocabRange.max);
  require_in_range(kInputTokensRange.name, c.n_in, kInputTokensRange.min, kInputTokensRange.max);
  require_in_range(kOutputTokensRange.name, c.n_out, kOutputTokensRange.min, kOutputTokensRange.max);
  if (c.d_model % c.heads != 0) {
    fail(ErrorCode::kInvalidArgument, "d_model", message("d_model=", c.d_model, " must be a multiple of heads=", c.heads));
  }
}

std::vector<ArchitectureCost> architecture_costs(const ArchitectureConfig& c) {
  validate(c);
  // Counts in double: exact integers (all well below 2^53 at the range maxima), no int overflow.
  const double d = c.d_model, ff = c.d_ff, layers = c.layers, vocab = c.vocab;
  const double n_in = c.n_in, n_out = c.n_out, total_tokens = n_in + n_out;
  const double attention_weights = 4 * d * d;
  const double ffn_weights = 2 * d * ff;
  const double embedding = vocab * d;
  const double block = attention_weights + ffn_weights + 2 * d;
  const double decoder_block = 2 * attention_weights + ffn_weights + 3 * d;
  const double weight_flops = 2 * (attention_weights + ffn_weights);  // per token per layer
  const double per_key = 4 * d;                                       // scores + values, per key per layer
  const double logits = 2 * vocab * d * n_out;

  auto make = [&](ArchitectureKind kind, double layer_parameters, double attention, double weights) {
    ArchitectureCost cost;
    cost.kind = kind;
    cost.embedding_parameters = static_cast<std::int64_t>(embedding);
    cost.layer_parameters = static_cast<std::int64_t>(layer_parameters);
    cost.parameters = cost.embedding_parameters + cost.layer_parameters;
    cost.attention_flops = attention;
    cost.flops = weights + attention + logits;
    cost.flops_per_token = cost.flops / total_tokens;
    return cost;
  };

  // GPT: positions 0 .. N-2, position t with t + 1 keys: sum = (N-1) N / 2.
  const double positions = total_tokens - 1;
  const double gpt_keys = positions * (positions + 1) / 2;
  // UniLM: the n_in input positions see n_in keys each; output positions t = n_in .. N-2 see t + 1.
  const double unilm_keys = n_in * n_in + (gpt_keys - n_in * (n_in + 1) / 2);
  // T5 decoder: positions u = 0 .. n_out-1: u + 1 self keys and n_in cross keys.
  const double t5_keys = n_in * n_in + n_out * (n_out + 1) / 2 + n_out * n_in;
  const double t5_weights = layers * (n_in * weight_flops                              // encoder
                                      + n_out * (weight_flops + 2 * 2 * d * d)         // decoder + cross Q, O
                                      + n_in * 2 * 2 * d * d);                         // cross K, V
  const double decoder_only_layers = layers * block + d;
  return {
      make(ArchitectureKind::kDecoderOnly, decoder_only_layers, layers * per_key * gpt_keys,
           layers * positions * weight_flops),
      make(ArchitectureKind::kPrefixLm, decoder_only_layers, layers * per_key * unilm_keys,
           layers * positions * weight_flops),
      make(ArchitectureKind::kEncoderDecoder, decoder_only_layers + layers * decoder_block + d,
           layers * per_key * t5_keys, t5_weights),
  };
}

ArchitectureMasks architecture_masks(const ArchitectureConfig& c) {
  validate(c);
  const long long total = static_cast<long long>(c.n_in) + c.n_out;
  if (total > kTokensRange.max) {
    fail(ErrorCode::kInvalidArgument, "n_out",  // the decoder's tokens come after the encoder's
         message("n_in + n_out = ", total, " must be <= ", kTokensRange.max, " to draw the masks (n range)"));
  }
  const int n = static_cast<int>(total);
  ArchitectureMasks masks;
  masks.decoder_only = build_mask(MaskSpec{PatternKind::kForward, 0, 1, {}}, n);
  masks.prefix_lm = build_mask(MaskSpec{PatternKind::kPrefix, c.n_in, 1, {}}, n);
  masks.encoder_self = Mask::Ones(c.n_in, c.n_in);
  masks.decoder_self = build_mask(MaskSpec{PatternKind::kForward, 0, 1, {}}, c.n_out);
  masks.cross = Mask::Ones(c.n_out, c.n_in);
  return masks;
}

}  // namespace attnrank
