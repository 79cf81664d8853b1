// The probe's attention, 8-bit (see probe_attention.h).
#include "attnrank/lab/probe_attention.h"

#include <cmath>

#include "attnrank/base/errors.h"
#include "attnrank/base/pattern_registry.h"

namespace attnrank::lab {

QuantizedAttention quantize_attention(const MatrixXd& attention) {
  double top = 0.0;
  for (Eigen::Index i = 0; i < attention.rows(); ++i)
    for (Eigen::Index j = 0; j < attention.cols(); ++j) {
      const double a = attention(i, j);
      if (!(a >= 0.0) || !std::isfinite(a)) {
        fail(ErrorCode::kNumericalFailure, message("attention entry (", static_cast<long long>(i), ", ",
                                                   static_cast<long long>(j), ")=", a, " is not in [0, inf)"));
      }
      if (a > top) top = a;
    }
  QuantizedAttention out;
  out.scale = top / 255.0;
  out.bytes.resize(static_cast<std::size_t>(attention.size()));
  std::size_t k = 0;
  for (Eigen::Index i = 0; i < attention.rows(); ++i)
    for (Eigen::Index j = 0; j < attention.cols(); ++j) {
      const long q = top > 0.0 ? std::lround(attention(i, j) / top * 255.0) : 0;
      out.bytes[k++] = static_cast<char>(static_cast<unsigned char>(q));
    }
  return out;
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = bytes.size() - i;
    const std::uint32_t chunk = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                                (left > 1 ? static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 : 0u) |
                                (left > 2 ? static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2])) : 0u);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += left > 1 ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += left > 2 ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

ResultValue probe_attention_result(const Trainer& trainer, const RunLabel& label, const Checkpoint& checkpoint) {
  const ModelConfig& model = trainer.config().model;
  LabProbeAttentionRecord record;
  record.config = label.config;
  record.seed = static_cast<long long>(trainer.config().seed);
  record.step = checkpoint.step;
  record.n = model.n;
  record.tokens = trainer.probe_tokens();
  for (const HeadCheckpoint& head : checkpoint.heads) {
    LabProbeHeadRecord entry;
    entry.head.layer = head.layer;
    entry.head.head = head.head;
    entry.head.pattern = pattern_name(model.masks[head.layer][head.head].kind);
    entry.head.attention = model.kinds[head.layer][head.head] == HeadKind::kSoftmax ? "softmax" : "linear";
    const QuantizedAttention quantized = quantize_attention(head.attention);
    entry.scale = quantized.scale;
    entry.data = base64(quantized.bytes);
    record.heads.push_back(std::move(entry));
  }
  return lab_probe_attention_result(record);
}

}  // namespace attnrank::lab
