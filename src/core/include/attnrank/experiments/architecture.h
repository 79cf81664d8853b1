// Decoder-only (GPT), prefix LM (UniLM) and encoder-decoder (T5) at equal width d_model and depth L
// (claims.md C13, C14): parameter counts, inference FLOPs, and the block mask of each. Counting only; no
// model is run. The counts follow one stated convention so the three are comparable, not any one paper's.
//
// Parameters: token embedding V d_model, tied to the output projection and (T5) shared by encoder and
// decoder: counted once. No positional parameters (relative or rotary positions). No biases. Every norm
// has a gain vector of d_model (RMSNorm, as in T5), two per decoder-only or encoder layer, three per T5
// decoder layer, one final norm per stack. Attention block 4 d_model^2 (W_Q, W_K, W_V, W_O; H heads of
// d_model / H); FFN 2 d_model d_ff (one hidden ReLU layer). GPT = UniLM = V d + L (4 d^2 + 2 d d_ff + 2 d)
// + d; T5 adds L decoder layers of 8 d^2 + 2 d d_ff + 3 d (self + cross attention) and a final norm:
// "twice the parameters" for the layers (a bit more: cross attention).
//
// FLOPs: 2 per multiply-add; weight matrix products (4 d^2 + 2 d d_ff multiply-adds per token per layer)
// and attention over the context (scores and weighted values: 2 d_model multiply-adds per key); softmax,
// norms, activations and the embedding lookup are not counted (Kaplan et al. 2020's convention). One
// request: n_in input tokens, then n_out output tokens generated one at a time with a key/value cache.
// GPT and UniLM process positions 0 .. n_in + n_out - 2 (the last output token is never fed back);
// position t attends to t + 1 keys, except UniLM's input positions, which attend to all n_in inputs.
// T5: the encoder processes n_in tokens (n_in keys each); the decoder n_out positions (a start token and
// n_out - 1 outputs), decoder position u with u + 1 self-attention keys, n_in cross-attention keys, and
// cross attention's W_Q, W_O per decoder token plus W_K, W_V once per encoder token and decoder layer.
// All three compute the output logits (2 V d_model) for the n_out predicted tokens.
// flops_per_token = total / (n_in + n_out).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attnrank/base/glossary.h"

namespace attnrank {

enum class ArchitectureKind { kDecoderOnly, kPrefixLm, kEncoderDecoder };
const char* architecture_name(ArchitectureKind kind);  // "gpt", "unilm", "t5"

struct ArchitectureConfig {
  int d_model = 512;
  int layers = 6;     // L (T5: L encoder + L decoder layers)
  int heads = 8;      // H, must divide d_model
  int d_ff = 2048;
  int vocab = 32000;  // V
  int n_in = 512;
  int n_out = 128;
};

struct ArchitectureCost {
  ArchitectureKind kind = ArchitectureKind::kDecoderOnly;
  std::int64_t parameters = 0;
  std::int64_t embedding_parameters = 0;
  std::int64_t layer_parameters = 0;  // everything but the embedding
  double flops = 0.0;                 // one request, exact integer below 2^53 for the allowed ranges
  double attention_flops = 0.0;       // the part over the context (scores + weighted values)
  double flops_per_token = 0.0;       // flops / (n_in + n_out)
};

// Who may attend to whom. GPT, UniLM: one (N, N) mask, N = n_in + n_out (forward; prefix with p = n_in).
// T5: encoder self (n_in, n_in) all ones, decoder self (n_out, n_out) forward, cross (n_out, n_in) all ones.
struct ArchitectureMasks {
  Mask decoder_only;
  Mask prefix_lm;
  Mask encoder_self;
  Mask decoder_self;
  Mask cross;
};

void validate(const ArchitectureConfig& config);
std::vector<ArchitectureCost> architecture_costs(const ArchitectureConfig& config);  // gpt, unilm, t5
// Needs n_in + n_out <= the n range (these are n x n matrices).
ArchitectureMasks architecture_masks(const ArchitectureConfig& config);

}  // namespace attnrank
