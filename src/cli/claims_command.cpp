// `attnrank claims`: live verdicts on the essay's claims C1..C17 (src/core/claims.h) for one configuration,
// given with the options of `stats` (pattern, kind, prefix and window are validated but each claim fixes
// its own). JSON (--json: {"claims": [...]}, the structure of the wasm claims()) or one line per claim:
// id, tag, status, the checks (labels in --lang en|zh) and the first facts. --dump-matrix is refused.
#include <cstdio>
#include <iomanip>

#include "claims.h"
#include "commands.h"
#include "errors.h"
#include "options.h"
#include "report.h"

namespace attnrank::cli {

namespace {

constexpr std::size_t kFactsPerLine = 4;

std::string fact_json_value(const ClaimFact& fact) {
  switch (fact.format) {
    case FactFormat::kInteger: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.0f", fact.number);
      return buffer;
    }
    case FactFormat::kNumber: return format_json_number(fact.number);
    case FactFormat::kBoolean: return fact.boolean ? "true" : "false";
    case FactFormat::kText: return json_escape(fact.text);
  }
  return "null";
}

std::string fact_text(const ClaimFact& fact) {
  if (fact.format == FactFormat::kNumber) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", fact.number);
    return buffer;
  }
  return fact.format == FactFormat::kText ? fact.text : fact_json_value(fact);
}

void write_json(const std::vector<ClaimResult>& results, std::ostream& out) {
  out << "{\"claims\":[";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const ClaimEntry& e = *results[i].entry;
    const ClaimVerdict& v = results[i].verdict;
    out << (i ? "," : "") << "{\"id\":" << json_escape(e.id) << ",\"tag\":" << json_escape(claim_tag_name(e.tag))
        << ",\"tag_detail_en\":" << json_escape(e.tag_detail_en) << ",\"tag_detail_zh\":" << json_escape(e.tag_detail_zh)
        << ",\"statement_en\":" << json_escape(e.statement_en) << ",\"statement_zh\":" << json_escape(e.statement_zh)
        << ",\"source_en\":" << json_escape(e.source_en) << ",\"source_zh\":" << json_escape(e.source_zh) << ",\"backing_test\":" << json_escape(e.backing_test)
        << ",\"verdict\":{\"status\":" << json_escape(verdict_status_name(v.status)) << ",\"parts\":[";
    for (std::size_t p = 0; p < v.parts.size(); ++p) {
      const ClaimPart& part = v.parts[p];
      out << (p ? "," : "") << "{\"key\":" << json_escape(part.key) << ",\"label_en\":" << json_escape(part.label_en)
          << ",\"label_zh\":" << json_escape(part.label_zh) << ",\"holds\":" << (part.holds ? "true" : "false") << "}";
    }
    out << "],\"facts\":[";
    for (std::size_t f = 0; f < v.facts.size(); ++f) {
      const ClaimFact& fact = v.facts[f];
      out << (f ? "," : "") << "{\"key\":" << json_escape(fact.key) << ",\"label_en\":" << json_escape(fact.label_en)
          << ",\"label_zh\":" << json_escape(fact.label_zh) << ",\"value\":" << fact_json_value(fact)
          << ",\"format\":" << json_escape(fact_format_name(fact.format)) << "}";
    }
    out << "]}}";
  }
  out << "]}\n";
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
  const bool as_json = args.flag("json");
  const std::string language = args.text("lang", "en");
  if (language != "en" && language != "zh") {
    fail(ErrorCode::kInvalidArgument, "lang=" + language + " is unknown (expected one of: en, zh)");
  }
  const Request request = request_from_args(args);
  args.reject_unused();
  if (!request.dump_matrix_path.empty()) {
    fail(ErrorCode::kInvalidArgument, "--dump-matrix is not available for claims (use attnrank stats)");
  }
  const std::vector<ClaimResult> results = evaluate_claims(request.config);
  if (as_json) {
    write_json(results, out);
  } else {
    write_lines(results, language == "zh", out);
  }
  return 0;
}

}  // namespace attnrank::cli
