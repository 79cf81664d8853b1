// Verdict building blocks (see claims_verdict.h).
#include "attnrank/claims/claims_verdict.h"

#include <cmath>

#include "attnrank/base/errors.h"

namespace attnrank {

const char* verdict_status_name(VerdictStatus status) {
  switch (status) {
    case VerdictStatus::kHolds: return "holds";
    case VerdictStatus::kFails: return "fails";
    case VerdictStatus::kPartly: return "partly";
    case VerdictStatus::kNoVerdict: return "no_verdict";
  }
  return "no_verdict";
}

const char* fact_format_name(FactFormat format) {
  switch (format) {
    case FactFormat::kInteger: return "integer";
    case FactFormat::kNumber: return "number";
    case FactFormat::kBoolean: return "boolean";
    case FactFormat::kText: return "text";
  }
  return "text";
}

namespace {
ClaimFact make_fact(const char* key, const char* label_en, const char* label_zh, FactFormat format) {
  ClaimFact fact;
  fact.key = key;
  fact.label_en = label_en;
  fact.label_zh = label_zh;
  fact.format = format;
  return fact;
}
}  // namespace

void ClaimVerdict::add_part(const char* key, const char* label_en, const char* label_zh, bool holds) {
  parts.push_back(ClaimPart{key, label_en, label_zh, holds});
}

void ClaimVerdict::add_integer(const char* key, const char* label_en, const char* label_zh, long long value) {
  ClaimFact fact = make_fact(key, label_en, label_zh, FactFormat::kInteger);
  fact.number = static_cast<double>(value);
  facts.push_back(std::move(fact));
}

void ClaimVerdict::add_number(const char* key, const char* label_en, const char* label_zh, double value) {
  if (!std::isfinite(value)) {
    // No parameter: an internal invariant (facts are computed by the claims from validated runs).
    fail(ErrorCode::kNumericalFailure, message("claim fact ", key, "=", value, " is not finite"));
  }
  ClaimFact fact = make_fact(key, label_en, label_zh, FactFormat::kNumber);
  fact.number = value;
  facts.push_back(std::move(fact));
}

void ClaimVerdict::add_boolean(const char* key, const char* label_en, const char* label_zh, bool value) {
  ClaimFact fact = make_fact(key, label_en, label_zh, FactFormat::kBoolean);
  fact.boolean = value;
  facts.push_back(std::move(fact));
}

void ClaimVerdict::add_text(const char* key, const char* label_en, const char* label_zh, const std::string& value) {
  ClaimFact fact = make_fact(key, label_en, label_zh, FactFormat::kText);
  fact.text = value;
  facts.push_back(std::move(fact));
}

void ClaimVerdict::settle_status() {
  if (parts.empty()) {
    status = VerdictStatus::kNoVerdict;
    return;
  }
  int holding = 0;
  for (const ClaimPart& part : parts) holding += part.holds ? 1 : 0;
  if (holding == static_cast<int>(parts.size())) {
    status = VerdictStatus::kHolds;
  } else if (holding == 0) {
    status = VerdictStatus::kFails;
  } else {
    status = VerdictStatus::kPartly;
  }
}

}  // namespace attnrank
