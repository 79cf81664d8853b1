// The static catalogue of the essay's claims C1..C17 (docs/claims.md, after /work/shared/claims.md): id,
// tag, statement and source in English and Chinese, and the GoogleTest that backs every claim tagged exact
// (tests/native/test_claims.cpp). Text only: the live verdicts are computed in claims.h. The statements
// paraphrase the essay (Su Jianlin's posts 9529 / 9547 as summarised in the seed essay) in one or two
// sentences; they are not quotations.
#pragma once

#include <vector>

namespace attnrank {

// exact: a theorem the core checks on any input; numerical: true or false depending on the parameters;
// anecdotal: reported, no public numbers; conjecture: an opinion or hypothesis.
enum class ClaimTag { kExact, kNumerical, kAnecdotal, kConjecture };
const char* claim_tag_name(ClaimTag tag);  // "exact", "numerical", "anecdotal", "conjecture"

struct ClaimEntry {
  const char* id;             // "C1" .. "C17"
  ClaimTag tag;
  const char* tag_detail_en;  // "" when the tag says it all
  const char* tag_detail_zh;
  const char* statement_en;
  const char* statement_zh;
  const char* source_en;      // author, title and year, for English readers
  const char* source_zh;      // the same for Chinese readers (Su's titles as he wrote them)
  const char* backing_test;   // "Suite.Name" in tests/native/test_claims.cpp for exact claims, else ""
};

// C1..C17 in order.
const std::vector<ClaimEntry>& claim_catalogue();

// The BERT-base attention head the essay uses for "n >> d" (C2): hidden 768 / 12 heads = d 64, n 512.
// The page's "BERT-base head" preset (web/main.mjs) uses the same n and d.
struct HeadPreset {
  int n;
  int d;
  int hidden;
  int heads;
};
inline constexpr HeadPreset kBertBaseHead{512, 64, 768, 12};

}  // namespace attnrank
