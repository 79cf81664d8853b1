// Per-(layer, head) masks and kinds from text (see run_layout.h).
#include "attnrank/lab/run_layout.h"

#include "attnrank/base/errors.h"
#include "attnrank/base/pattern_registry.h"

namespace attnrank::lab {
namespace {

// "a+b" -> {"a", "b"}; empty parts are kept (and refused by the caller).
std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::string expanded(const std::string& text) {
  if (text == "mix-heads") return "forward/backward";
  if (text == "mix-layers") return "forward+backward";
  return text;
}

}  // namespace

std::vector<std::vector<std::string>> parse_head_layout(const std::string& text, int layers, int heads,
                                                        const char* param) {
  const std::vector<std::string> per_layer = split(text, '+');
  std::vector<std::vector<std::string>> out(static_cast<std::size_t>(layers));
  for (int l = 0; l < layers; ++l) {
    const std::vector<std::string> blocks = split(per_layer[static_cast<std::size_t>(l) % per_layer.size()], '/');
    const int k = static_cast<int>(blocks.size());
    for (const std::string& word : blocks) {
      if (word.empty()) fail(ErrorCode::kInvalidArgument, param, message(param, "=", text, " has an empty entry"));
    }
    if (heads % k != 0) {
      fail(ErrorCode::kInvalidArgument, param,
           message(param, "=", text, " splits a layer's heads into ", k, " blocks, which does not divide heads=", heads));
    }
    for (int h = 0; h < heads; ++h) out[static_cast<std::size_t>(l)].push_back(blocks[static_cast<std::size_t>(h / (heads / k))]);
  }
  return out;
}

std::vector<std::vector<MaskSpec>> parse_mask_layout(const std::string& text, int layers, int heads, int prefix,
                                                     int window) {
  const auto words = parse_head_layout(expanded(text), layers, heads, "masks");
  std::vector<std::vector<MaskSpec>> out(words.size());
  for (std::size_t l = 0; l < words.size(); ++l)
    for (const std::string& word : words[l]) {
      MaskSpec spec;
      try {
        spec.kind = parse_pattern(word);
      } catch (const Error& error) {
        fail(error.code(), "masks", message("masks=", text, ": ", error.what()));
      }
      if (spec.kind == PatternKind::kCustom) {
        fail(ErrorCode::kInvalidArgument, "masks", message("masks=", text, ": a custom mask cannot be trained"));
      }
      spec.prefix = prefix;
      spec.window = window;
      out[l].push_back(spec);
    }
  return out;
}

std::vector<std::vector<HeadKind>> parse_kind_layout(const std::string& text, int layers, int heads) {
  const auto words = parse_head_layout(text, layers, heads, "attention");
  std::vector<std::vector<HeadKind>> out(words.size());
  for (std::size_t l = 0; l < words.size(); ++l)
    for (const std::string& word : words[l]) {
      if (word != "softmax" && word != "linear") {
        fail(ErrorCode::kInvalidArgument, "attention",
             fill_words("unknown_choice", {{"param", "attention"}, {"value", word}, {"choices", "softmax, linear"}}));
      }
      out[l].push_back(word == "softmax" ? HeadKind::kSoftmax : HeadKind::kLinear);
    }
  return out;
}

RunVariant parse_variant(const std::string& text) {
  const std::vector<std::string> parts = split(text, ':');
  if (parts.size() > 2 || parts[0].empty() || (parts.size() == 2 && parts[1].empty())) {
    fail(ErrorCode::kInvalidArgument, "configs",
         message("configs entry '", text, "' is not masks[:attention] (e.g. forward:linear, mix-heads)"));
  }
  RunVariant variant;
  variant.masks = parts[0];
  if (parts.size() == 2) variant.attention = parts[1];
  return variant;
}

std::vector<RunVariant> task_variants(TaskKind kind) {
  switch (kind) {
    case TaskKind::kOrder:
      return {{"bidirectional", "softmax"}, {"mix-heads", "softmax"}, {"mix-layers", "softmax"}, {"forward", "softmax"}};
    case TaskKind::kMlm: return {{"bidirectional", "softmax"}, {"mix-heads", "softmax"}, {"mix-layers", "softmax"}};
    case TaskKind::kPrefix: return {{"forward", "softmax"}, {"prefix", "softmax"}};
    case TaskKind::kMqar: return {{"forward", "softmax"}, {"forward", "linear"}};
    case TaskKind::kLmVsMlm:
      return {{"forward", "softmax"}, {"forward", "linear"}, {"bidirectional", "softmax"}, {"bidirectional", "linear"}};
    case TaskKind::kCopy:
    case TaskKind::kReverse:
      return {{"forward", "softmax"}, {"prefix", "softmax"}, {"forward", "linear"}, {"prefix", "linear"}};
  }
  return {};
}

}  // namespace attnrank::lab
