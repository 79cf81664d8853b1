// `attnrank claims`: live verdicts on the essay's claims C1..C17 (src/core/claims.h) for one configuration,
// given with the options of `stats` (pattern, kind, prefix and window are validated but each claim fixes
// its own). JSON (--json: {"claims": [...]}, the structure of the wasm claims()) or one line per claim:
// id, tag, status, the checks (labels in --lang en|zh) and the first facts. --dump-matrix is refused.
#include <cstdio>
#include <iomanip>

#include "attnrank/base/errors.h"
#include "attnrank/claims/claims.h"
#include "commands.h"
#include "options.h"
#include "report.h"

namespace attnrank::cli {

namespace {

constexpr std::size_t kFactsPerLine = 4;

std::string fact_text(const ClaimFact& fact) {
  switch (fact.format) {
    case FactFormat::kInteger: return short_number(fact.number, 17);  // an exact integer: all its digits
    case FactFormat::kNumber: return short_number(fact.number, 4);
    case FactFormat::kBoolean: return fact.boolean ? "true" : "false";
    case FactFormat::kText: return fact.text;
  }
  return "";
}

void write_lines(const std::vector<ClaimResult>& results, bool is_chinese, std::ostream& out) {
  for (const ClaimResult& result : results) {
    const ClaimVerdict& v = result.verdict;
    out << std::left << std::setw(5) << result.entry->id << std::setw(11) << claim_tag_name(result.entry->tag)
        << std::setw(11) << verdict_status_name(v.status);
    for (std::size_t p = 0; p < v.parts.size(); ++p) {
      out << (p ? "; " : "") << (is_chinese ? v.parts[p].label_zh : v.parts[p].label_en) << ": "
          << (v.parts[p].holds ? "yes" : "no");
    }
    for (std::size_t f = 0; f < v.facts.size() && f < kFactsPerLine; ++f) {
      out << (f == 0 ? (v.parts.empty() ? "" : " | ") : ", ") << v.facts[f].key << "=" << fact_text(v.facts[f]);
    }
    out << "\n";
  }
}

}  // namespace

int run_claims(const std::vector<std::string>& argv, std::ostream& out) {
  Args args(argv, flag_options());
  const bool as_json = flag_param(args, "json");
  const std::string language = choice_param(args, "lang", kRequestClaims);
  const Request request = request_from_args(args, kRequestClaims);
  args.reject_unused();
  if (!request.dump_matrix_path.empty()) {
    fail(ErrorCode::kInvalidArgument, "--dump-matrix is not available for claims (use attnrank stats)");
  }
  const std::vector<ClaimResult> results = evaluate_claims(request.config);
  if (as_json) {
    out << to_json(claims_result(results)) << "\n";
  } else {
    write_lines(results, language == "zh", out);
  }
  return 0;
}

}  // namespace attnrank::cli
