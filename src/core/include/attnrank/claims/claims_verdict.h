// The shape of a live verdict on one of the essay's claims (claims.h, docs/claims.md): a status, the
// individual checks behind it (parts) and the numbers that explain it (facts), each labelled in English
// and Chinese. Plain data plus the one rule that turns parts into a status; no numerics here, and no
// formatting (the CLI and the wasm binding write these fields as they are).
#pragma once

#include <string>
#include <vector>

namespace attnrank {

// holds: every check holds; fails: none holds; partly: some hold and some fail (e.g. C4: the algebra
// holds, the floating-point matrix is numerically rank deficient); no_verdict: nothing to compute
// (anecdotal, conjecture) or the claim does not apply to this configuration; facts may still be given.
enum class VerdictStatus { kHolds, kFails, kPartly, kNoVerdict };
const char* verdict_status_name(VerdictStatus status);  // "holds", "fails", "partly", "no_verdict"

struct ClaimPart {
  std::string key;  // snake_case, stable across versions
  std::string label_en;
  std::string label_zh;
  bool holds = false;
};

enum class FactFormat { kInteger, kNumber, kBoolean, kText };
const char* fact_format_name(FactFormat format);  // "integer", "number", "boolean", "text"

// One value: `number` for kInteger (an exact integer) and kNumber (always finite), `boolean`, or `text`
// (language-neutral: a name or the core's English error message).
struct ClaimFact {
  std::string key;
  std::string label_en;
  std::string label_zh;
  FactFormat format = FactFormat::kNumber;
  double number = 0.0;
  bool boolean = false;
  std::string text;
};

struct ClaimVerdict {
  VerdictStatus status = VerdictStatus::kNoVerdict;
  std::vector<ClaimPart> parts;
  std::vector<ClaimFact> facts;

  void add_part(const char* key, const char* label_en, const char* label_zh, bool holds);
  void add_integer(const char* key, const char* label_en, const char* label_zh, long long value);
  // Throws kNumericalFailure for a non-finite value: a verdict never carries inf or NaN.
  void add_number(const char* key, const char* label_en, const char* label_zh, double value);
  void add_boolean(const char* key, const char* label_en, const char* label_zh, bool value);
  void add_text(const char* key, const char* label_en, const char* label_zh, const std::string& value);
  // status from the parts: holds if all hold, fails if none does, partly otherwise; no_verdict if none.
  void settle_status();
};

}  // namespace attnrank
