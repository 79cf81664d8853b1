// Which mask and which attention kind each (layer, head) of a lab run gets, from text (the CLI's
// `attnrank train --masks/--attention/--configs`), and section 3's comparisons per task. Grammar, the same
// for masks (the pattern vocabulary: bidirectional, forward, backward, prefix, window, forward_window) and
// for attention kinds (softmax, linear):
//   P              every head of every layer
//   P1/P2[/...]    one layer's heads in k equal blocks (k divides H): forward/backward gives the first half
//                  of the heads forward, the rest backward (design-lab.md section 1's head mixture)
//   L1+L2[+...]    per layer, cycled over the layers, each Li a P or a P1/P2 list: forward+backward
//                  alternates by layer (section 1's layer mixture); '+' as in `attnrank collapse`
//   mix-heads      = forward/backward;   mix-layers = forward+backward (masks only)
// A configuration (a grid's entry) is "masks[:attention]", attention softmax when omitted. Not here: sizes,
// the task, the run itself (trainer.h).
#pragma once

#include <string>
#include <vector>

#include "attnrank/attention/masks.h"
#include "attnrank/lab/model.h"
#include "attnrank/lab/tasks.h"

namespace attnrank::lab {

// [L][H] words of the grammar above; kInvalidArgument naming `param` for an empty word, a block count
// that does not divide `heads`.
std::vector<std::vector<std::string>> parse_head_layout(const std::string& text, int layers, int heads,
                                                        const char* param);
// [L][H] masks: unknown pattern names are refused by the pattern registry (param "masks" here);
// prefix and window are those of every prefix / window head.
std::vector<std::vector<MaskSpec>> parse_mask_layout(const std::string& text, int layers, int heads, int prefix,
                                                     int window);
// [L][H] kinds (param "attention").
std::vector<std::vector<HeadKind>> parse_kind_layout(const std::string& text, int layers, int heads);

struct RunVariant {
  std::string masks = "bidirectional";
  std::string attention = "softmax";
  std::string name() const { return masks + ":" + attention; }  // "forward:linear"
};
// "masks[:attention]" (param "configs"); each part checked by the grammar only when a run is built.
RunVariant parse_variant(const std::string& text);
// Section 3's "compares" column: order: bidirectional, mix-heads, mix-layers, forward (causal LM as the
// reference); mlm: bidirectional, mix-heads, mix-layers; prefix: forward, prefix; mqar: forward with
// softmax and linear; lm-vs-mlm: forward and bidirectional, each softmax and linear; copy, reverse: forward
// and prefix, each softmax and linear. The first is the task's default run.
std::vector<RunVariant> task_variants(TaskKind kind);

}  // namespace attnrank::lab
