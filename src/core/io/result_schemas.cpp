// The field tables of the claims (evaluate_claims) and of the pattern registry (result_fields.h), and
// result_schemas(): every result's description, its tables walked in the order of docs/result-schema.md
// (which `attnrank schema` writes from it), with where each result is returned and the doc's notes.
#include "result_table.h"

namespace attnrank {

namespace {

using namespace result_table;

// ---- evaluate_claims() ----

const Field<ClaimEntry> kClaimEntryFields[] = {
    {"id", "string", "`C1` .. `C17`, in order", [](const ClaimEntry& e) { return text(e.id); }},
    {"tag", "string", "`exact`, `numerical`, `anecdotal` or `conjecture`", [](const ClaimEntry& e) { return text(claim_tag_name(e.tag)); }},
    {"tag_detail_en", "string",
     "a qualification of the tag (C4: exact as algebra, numerical in floating point), else empty",
     [](const ClaimEntry& e) { return text(e.tag_detail_en); }},
    {"tag_detail_zh", "string", "the same in Chinese", [](const ClaimEntry& e) { return text(e.tag_detail_zh); }},
    {"statement_en", "string", "the claim in one or two sentences (a paraphrase, not a quotation)",
     [](const ClaimEntry& e) { return text(e.statement_en); }},
    {"statement_zh", "string", "the same in Chinese", [](const ClaimEntry& e) { return text(e.statement_zh); }},
    {"source_en", "string", "author, title and year of the source", [](const ClaimEntry& e) { return text(e.source_en); }},
    {"source_zh", "string", "the same for Chinese readers", [](const ClaimEntry& e) { return text(e.source_zh); }},
    {"backing_test", "string",
     "`Suite.Name` of the GoogleTest (tests/native/test_claims.cpp) that checks an exact claim, else "
     "empty",
     [](const ClaimEntry& e) { return text(e.backing_test); }},
};

ResultValue fact_value(const ClaimFact& f) {
  switch (f.format) {
    case FactFormat::kInteger: return integer(static_cast<long long>(f.number));
    case FactFormat::kNumber: return number(f.number);
    case FactFormat::kBoolean: return boolean(f.boolean);
    case FactFormat::kText: return text(f.text);
  }
  return ResultValue::null();
}

const Field<ClaimPart> kClaimPartFields[] = {
    {"key", "string", "snake_case, stable across versions", [](const ClaimPart& p) { return text(p.key); }},
    {"label_en", "string", "the check in words", [](const ClaimPart& p) { return text(p.label_en); }},
    {"label_zh", "string", "the same in Chinese", [](const ClaimPart& p) { return text(p.label_zh); }},
    {"holds", "bool", "whether the check holds", [](const ClaimPart& p) { return boolean(p.holds); }},
};
const Field<ClaimFact> kClaimFactFields[] = {
    {"key", "string", "snake_case, stable across versions", [](const ClaimFact& f) { return text(f.key); }},
    {"label_en", "string", "the number in words", [](const ClaimFact& f) { return text(f.label_en); }},
    {"label_zh", "string", "the same in Chinese", [](const ClaimFact& f) { return text(f.label_zh); }},
    {"value", kAnyScalar, "as `format` says; every number finite", fact_value},
    {"format", "string",
     "`integer` (an integer number), `number`, `boolean` or `text` (a name or the core's English "
     "error message)",
     [](const ClaimFact& f) { return text(fact_format_name(f.format)); }},
};
const Field<ClaimVerdict> kVerdictFields[] = {
    {"status", "string",
     "`holds` (every part), `fails` (none), `partly` (some), `no_verdict` (anecdotal, conjecture, or "
     "not applicable: C6/C7 at s < 0)",
     [](const ClaimVerdict& v) { return text(verdict_status_name(v.status)); }},
    {"parts", "object[]", "one entry per check", [](const ClaimVerdict& v) { return list_of(kClaimPartFields, v.parts); },
     nullptr, [] { return described(kClaimPartFields); }},
    {"facts", "object[]", "the numbers behind the verdict", [](const ClaimVerdict& v) { return list_of(kClaimFactFields, v.facts); },
     nullptr, [] { return described(kClaimFactFields); }},
};
const Field<ClaimResult> kClaimVerdictField[] = {
    {"verdict", "object", "the live verdict (not in `claim_catalogue()`)", [](const ClaimResult& r) { return object_of(kVerdictFields, r.verdict); },
     nullptr, [] { return described(kVerdictFields); }},
};

ResultValue claim_result(const ClaimResult& r) {
  ResultValue out = claim_entry_result(*r.entry);
  add_fields(out, kClaimVerdictField, r);
  return out;
}

const Field<std::vector<ClaimEntry>> kCatalogueFields[] = {
    {"claims", "object[]", "one entry per claim, without `verdict`",
     [](const std::vector<ClaimEntry>& entries) {
       ResultValue out = ResultValue::list();
       for (const ClaimEntry& e : entries) out.push(claim_entry_result(e));
       return out;
     },
     nullptr, [] { return described(kClaimEntryFields); }},
};

const Field<std::vector<ClaimResult>> kClaimsFields[] = {
    {"claims", "object[]", "one entry per claim",
     [](const std::vector<ClaimResult>& results) {
       ResultValue out = ResultValue::list();
       for (const ClaimResult& r : results) out.push(claim_result(r));
       return out;
     },
     nullptr,
     [] {
       std::vector<ResultField> out = described(kClaimEntryFields);
       describe(out, kClaimVerdictField);
       return out;
     }},
};

// ---- the pattern registry ----

struct Words {
  const char* en;
  const char* zh;
};
const Field<Words> kWordsFields[] = {
    {"en", "string", "English", [](const Words& w) { return text(w.en); }},
    {"zh", "string", "Chinese", [](const Words& w) { return text(w.zh); }},
};

// One depth schedule as the page lists it: a pattern's own, or a named one (forward_backward).
struct Schedule {
  std::string id;
  const PatternWords* en;
  const PatternWords* zh;
  std::vector<PatternKind> cycle;
  int order;
  const char* colour;
};

template <typename Source>
ResultValue words_of(const Source& s, const char* PatternWords::*field) {
  return object_of(kWordsFields, Words{(*s.en).*field, (*s.zh).*field});
}
struct PatternSource {
  const PatternWords* en;
  const PatternWords* zh;
  const PatternInfo& info;
};
std::vector<ResultField> words_members() { return described(kWordsFields); }

const Field<PatternSource> kPatternFields[] = {
    {"id", "string", "the pattern's id", [](const PatternSource& p) { return text(p.info.id); }},
    {"names", "object", "its name", [](const PatternSource& p) { return words_of(p, &PatternWords::name); }, nullptr, words_members},
    {"rules", "object", "its rule in words", [](const PatternSource& p) { return words_of(p, &PatternWords::rule); }, nullptr, words_members},
    {"used_by", "object", "models that use it (empty when the page shows none)",
     [](const PatternSource& p) { return words_of(p, &PatternWords::used_by); }, nullptr, words_members},
    {"parameter", "string or null", "`prefix`, `window` or null: the parameter the pattern takes",
     [](const PatternSource& p) {
       return p.info.parameter == PatternParameter::kPrefix   ? text("prefix")
              : p.info.parameter == PatternParameter::kWindow ? text("window")
                                                              : ResultValue::null();
     }},
    {"triangle", "string or null", "`lower`, `upper` or null: the triangle its matrix lies in",
     [](const PatternSource& p) {
       return p.info.triangle == Triangle::kLower   ? text("lower")
              : p.info.triangle == Triangle::kUpper ? text("upper")
                                                    : ResultValue::null();
     }},
    {"group", "string", "`essay`, `local` or `custom`",
     [](const PatternSource& p) {
       return text(p.info.group == PatternGroup::kEssay ? "essay" : p.info.group == PatternGroup::kLocal ? "local" : "custom");
     }},
    {"order", "int", "the page's display order (ascending)", [](const PatternSource& p) { return integer(p.info.display_order); }},
    {"colour", "string", "CSS custom property of its series wherever it is drawn (spectra, sweeps, depth), empty for none",
     [](const PatternSource& p) { return text(p.info.colour); }},
};
const Field<Schedule> kScheduleFields[] = {
    {"id", "string", "a pattern's id or a named schedule's (`forward_backward`)", [](const Schedule& s) { return text(s.id); }},
    {"names", "object", "its name", [](const Schedule& s) { return words_of(s, &PatternWords::name); }, nullptr, words_members},
    {"rules", "object", "its rule in words", [](const Schedule& s) { return words_of(s, &PatternWords::rule); }, nullptr, words_members},
    {"used_by", "object", "models that use it", [](const Schedule& s) { return words_of(s, &PatternWords::used_by); }, nullptr, words_members},
    {"layers", "string[]", "pattern ids, cycled over the layers",
     [](const Schedule& s) {
       ResultValue out = ResultValue::list();
       for (const PatternKind kind : s.cycle) out.push(text(pattern_name(kind)));
       return out;
     }},
    {"order", "int", "the depth view's display order", [](const Schedule& s) { return integer(s.order); }},
    {"colour", "string", "CSS custom property of its series (a pattern's own colour)", [](const Schedule& s) { return text(s.colour); }},
};

struct Registry {};
const Field<Registry> kRegistryFields[] = {
    {"patterns", "object[]", "every pattern, in display order",
     [](const Registry&) {
       ResultValue out = ResultValue::list();
       for (const PatternInfo& p : pattern_registry()) out.push(object_of(kPatternFields, PatternSource{&p.en, &p.zh, p}));
       return out;
     },
     nullptr, [] { return described(kPatternFields); }},
    {"depth_schedules", "object[]", "every depth schedule, in display order",
     [](const Registry&) {
       ResultValue out = ResultValue::list();
       for (const std::string& id : depth_schedule_names()) {
         const DepthSchedule schedule = parse_depth_schedule(id);
         Schedule entry{id, nullptr, nullptr, schedule.cycle, 0, ""};
         if (schedule.cycle.size() == 1) {
           const PatternInfo& p = pattern_info(schedule.cycle[0]);
           entry = {id, &p.en, &p.zh, schedule.cycle, p.display_order, p.colour};
         }
         for (const NamedScheduleInfo& named : named_depth_schedules()) {
           if (id == named.id) entry = {id, &named.en, &named.zh, schedule.cycle, named.display_order, named.colour};
         }
         if (entry.en == nullptr) throw std::logic_error("depth schedule \"" + id + "\" has no words");
         out.push(object_of(kScheduleFields, entry));
       }
       return out;
     },
     nullptr, [] { return described(kScheduleFields); }},
};

// ---- the descriptions ----

ResultValue fields_value(const std::vector<ResultField>& fields);
const Field<ResultField> kFieldFields[] = {
    {"key", "string", "the key", [](const ResultField& f) { return text(f.key); }},
    {"type", "string", "its type", [](const ResultField& f) { return text(f.type); }},
    {"meaning", "string", "one line", [](const ResultField& f) { return text(f.meaning); }},
    {"fields", "object[]", "the members of an object or of a list's objects",
     [](const ResultField& f) { return fields_value(f.fields); }},
    {"wasm_only", "bool", "only for a key the CLI never prints: true, only the wasm module returns it",
     [](const ResultField& f) { return boolean(f.wasm_only); }, [](const ResultField& f) { return f.wasm_only; }},
    {"bound", "string",
     "only for a value that may be a bound: `upper` or `lower`, which it is while the bool "
     "`<key>_is_<bound>_bound` beside it is true (a table shows `<= x` or `>= x`)",
     [](const ResultField& f) { return text(f.bound); }, [](const ResultField& f) { return !f.bound.empty(); }},
    {"null_text", "string", "only for a value that may be null: what a table shows for null",
     [](const ResultField& f) { return text(f.null_text); }, [](const ResultField& f) { return !f.null_text.empty(); }},
};
ResultValue fields_value(const std::vector<ResultField>& fields) { return list_of(kFieldFields, fields); }
const Field<ResultSchema> kSchemaFields[] = {
    {"name", "string", "the result's name", [](const ResultSchema& s) { return text(s.name); }},
    {"cli", "string", "the CLI command that prints it, empty for none", [](const ResultSchema& s) { return text(s.cli); }},
    {"wasm", "string", "the wasm call that returns it, empty for none", [](const ResultSchema& s) { return text(s.wasm); }},
    {"fields", "object[]", "its keys, in order", [](const ResultSchema& s) { return fields_value(s.fields); }},
    {"scalar_keys", "string[]",
     "the keys of `fields` whose values are scalars, in order: the columns of a CSV with one row per "
     "result",
     [](const ResultSchema& s) {
       ResultValue out = ResultValue::list();
       for (const std::string& key : scalar_keys(s)) out.push(text(key));
       return out;
     }},
    {"notes", "string[]", "the doc's paragraphs",
     [](const ResultSchema& s) {
       ResultValue out = ResultValue::list();
       for (const std::string& note : s.notes) out.push(text(note));
       return out;
     }},
};

// The doc's paragraphs beside each table (one line each).
const std::vector<std::string> kAnalysisNotes = {
    "No value is ever NaN or infinite.",
    "**Bidirectional linear attention with `feature_dimension` < n.** Under an all-ones mask "
    "(`bidirectional`, or `prefix` with p = n, `window` with w = n, an all-ones custom mask) A = "
    "D^{-1} φ(Q') φ(K')^T has rank ≤ f = `feature_dimension`. If f < n the core never forms A for "
    "its statistics: the f nonzero singular values come from an f x f core (two thin QR "
    "factorisations, `low_rank_spectrum.h`, O(n f²)), and `singular_values[f..n-1]` are exactly 0 "
    "(structural zeros, not rounding noise). They are below the floor like any unresolved value, so "
    "`sigma_min` is `accuracy_floor`, flagged `sigma_min_is_upper_bound` (the true s_n is 0, which "
    "the bound covers). So `det_sign` is 0, `log_abs_det` null, `log_abs_det_is_reliable` true, "
    "`structurally_full_rank` false, and `condition_number` is the flagged lower bound s_1 / floor; "
    "every other statistic has its usual definition and agrees with the SVD of the formed matrix to "
    "within the accuracy floor s_1 n eps. With `precision` f32 the core's SVD runs in float (the "
    "dense path rounds A to float instead) and the floor is the float one, and `numerical_rank_f64` "
    "is null as for every f32 result. `matrix`, when wanted, is still the formed A.",
    "**The wasm config object** (`analyze(config)`). Keys mirror the CLI flags, spelled as in C++: "
    "`pattern`, `n`, `d`, `seed`, `scale`, `prefix`, `window`, `kind`, `feature`, `features`, "
    "`precision`, `rope`, `repeat`, `want_matrix`, plus for a user-drawn mask `custom_mask` "
    "(Uint8Array of n*n, row-major), and for loaded inputs `q`, `k` (Float64Array, row-major n*d "
    "each, with `n` and `d` given). Missing keys take the CLI defaults (pattern `bidirectional`, n "
    "64, d 8, seed 0, scale 1, kind softmax, feature elu1, features 64, precision f64). Unknown keys "
    "are an error naming the key.",
};
const std::vector<std::string> kSweepNotes = {
    "`sweep --csv`, and the page's statistics CSV, have one row per result and the analysis table's "
    "scalar keys as columns, in its order (not `singular_values`); an empty cell is a key the row does "
    "not have or a null value (`numerical_rank_f64` at f32).",
};
const std::vector<std::string> kCollapseNotes = {"The metrics' definitions: docs/depth.md."};
const std::vector<std::string> kArchitecturesNotes = {
    "`arch --csv` has one row per architecture.",
};
const std::vector<std::string> kClaimsNotes = {
    "`claims(config)` takes the config object of `analyze()` (same keys, defaults and messages; each "
    "claim fixes its own pattern and kind, so `pattern`, `kind`, `prefix`, `window`, `custom_mask` "
    "are checked but not used; `want_matrix` is ignored) and returns live verdicts on the essay's "
    "claims C1..C17 from `evaluate_claims` (checks, thresholds and cost: "
    "[docs/claims.md](claims.md)). `claim_catalogue()` takes nothing and returns `{claims: [...]}` "
    "with the same entries without `verdict` (no computation).",
    "A condition number at the accuracy floor comes as the fact `condition_number` (the lower bound) "
    "followed by `condition_number_is_lower_bound: true`, never as infinity. Likewise `sigma_min` is "
    "followed by `sigma_min_is_upper_bound`: when true, `sigma_min` is the accuracy floor, an upper "
    "bound. With `precision` f32 no claim lists `numerical_rank_f64` (C4 gives `numerical_rank_f32` "
    "only).",
};
const std::vector<std::string> kPatternsNotes = {
    "The page installs it once (web/state/pattern-registry.mjs) and takes its pattern lists, "
    "parameters, colours and words from it.",
};

std::vector<ResultSchema> make_schemas();

}  // namespace

ResultValue claim_entry_result(const ClaimEntry& entry) { return object_of(kClaimEntryFields, entry); }

ResultValue claims_result(const std::vector<ClaimResult>& results) { return object_of(kClaimsFields, results); }

ResultValue claim_catalogue_result() { return object_of(kCatalogueFields, claim_catalogue()); }

ResultValue pattern_registry_result() { return object_of(kRegistryFields, Registry{}); }

const std::vector<ResultSchema>& result_schemas() {
  static const std::vector<ResultSchema> schemas = make_schemas();
  return schemas;
}

const ResultSchema& result_schema(const std::string& name) {
  for (const ResultSchema& schema : result_schemas()) {
    if (schema.name == name) return schema;
  }
  throw std::logic_error("no result schema named \"" + name + "\"");
}

const ResultField* find_field(const std::vector<ResultField>& fields, const std::string& key) {
  for (const ResultField& field : fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::vector<std::string> scalar_keys(const ResultSchema& schema) {
  std::vector<std::string> keys;
  for (const ResultField& field : schema.fields) {
    const bool is_array = field.type.find("[]") != std::string::npos;
    if (!is_array && field.type != "object") keys.push_back(field.key);
  }
  return keys;
}

ResultValue result_schemas_result() {
  ResultValue list = ResultValue::list();
  for (const ResultSchema& schema : result_schemas()) list.push(object_of(kSchemaFields, schema));
  ResultValue out = ResultValue::object();
  out.add("results", std::move(list));
  return out;
}

namespace {

std::vector<ResultSchema> make_schemas() {
  return {
      {"analysis", "`attnrank stats --json`; `attnrank sweep --json`: each of `results`", "`analyze(config)`",
       analysis_fields(), kAnalysisNotes},
      {"sweep", "`attnrank sweep --json`", "", sweep_fields(), kSweepNotes},
      {"mixture", "`attnrank mixture --json`", "`mixture(config)`", mixture_fields(), {}},
      {"collapse", "`attnrank collapse --json`: each of `runs`", "`collapse(config)`", collapse_fields(), kCollapseNotes},
      {"collapse_runs", "`attnrank collapse --json`", "", collapse_runs_fields(), {}},
      {"collapse_layers", "`attnrank collapse --csv`: one row each, these keys as columns", "", collapse_layer_fields(), {}},
      {"architectures", "`attnrank arch --json`", "`architectures(config)`", architectures_fields(), kArchitecturesNotes},
      {"permutation", "`attnrank permutation --json`: each of `results`", "`permutation(config)`", permutation_fields(), {}},
      {"permutation_runs", "`attnrank permutation --json`", "", permutation_runs_fields(), {}},
      {"claims", "`attnrank claims --json`", "`claims(config)`", described(kClaimsFields), kClaimsNotes},
      {"claim_catalogue", "", "`claim_catalogue()`", described(kCatalogueFields), {}},
      {"patterns", "", "`patterns()`", described(kRegistryFields), kPatternsNotes},
      {"lab_checkpoint", "`attnrank train`: one JSONL line each (`--format csv`: one row per head, its keys after the others but `heads`)",
       "`lab_checkpoints(id, from)`: each entry", lab_checkpoint_fields(),
       {"The records depend only on the run's options: the same options give the same bytes."}},
      {"lab_corpus", "", "`lab_set_corpus(text)`", lab_corpus_fields(),
       {"The corpus tasks' text, kept by the module instance for every later run."}},
      {"lab_start", "", "`lab_start(config)`", lab_start_fields(),
       {"The config object has the keys of `attnrank train`'s options (the parameter registry's train parameters), "
        "`masks`, `attention`, `seed` and `memory_budget_mib`; a run over the budget is refused before anything of it "
        "is allocated."}},
      {"lab_progress", "", "`lab_advance(id, steps)`, `lab_load(id, bytes)`, `lab_stop(id)`", lab_progress_fields(), {}},
      {"lab_attention", "", "`lab_attention(id)`", lab_attention_fields(), {}},
      {"lab_experiments", "`attnrank train --list-experiments --json`", "`lab_experiments()`", lab_experiments_fields(),
       {"The experiments of design-lab.md section 3, defined once in the core (src/core/lab/experiments.cpp): the page's "
        "presets, the gallery's runs and the verdicts' comparisons."}},
      {"lab_probe_attention", "`attnrank train --attention-out FILE`: one JSONL line per checkpoint", "",
       lab_probe_attention_fields(),
       {"The probe sequence's attention per layer and head, 8-bit against each matrix's maximum (lab/probe_attention.h); "
        "the lab's gallery keeps a few checkpoints of it (docs/lab-gallery.md)."}},
      {"lab_verdicts", "`attnrank train --verdicts FILES --json`", "`lab_verdicts(records, step)`", lab_verdicts_fields(),
       {"`records` is JSONL text: one lab_checkpoint record per line (`attnrank train`'s output, or JSON.stringify of "
        "lab_checkpoints() entries; their other keys, heads included, are not read; the wasm binding takes text because "
        "its argument copy does not pass arrays); per run (task, config, seed) the last record, or the one at `step` "
        "when given. A run counts when that record is its last step (`step` = `steps`, or "
        "the given step). Section 5's rule: at least 3 such seeds per side, bands are min-max over seeds, disjoint "
        "bands decide, overlapping ones are inconclusive; a configuration whose metric does not beat the record's "
        "`baseline` by more than 2% of it (verdicts.h kLearnedMargin) on every complete seed did not learn, a comparison "
        "resting on it is inconclusive and the claim's sentence says it was not tested at these settings."}},
      {"limits", "`attnrank limits`: one line `name min max` each", "`limits()`", limits_fields(), {}},
      {"messages", "", "`messages()`", messages_fields(),
       {"The page words its own checks of URL text with these templates, filling each `{hole}`."}},
      {"memory_usage", "", "`memory_usage()`", memory_usage_fields(),
       {"Numbers about the module itself, not results: the soak test and docs/memory.md's estimate-vs-measured "
        "table read them."}},
      {"npy", "", "`parse_npy(bytes, label)`", npy_fields(),
       {"The core's .npy reader (float32 or float64, C or Fortran order); an error names the label."}},
      {"result_fields", "`attnrank schema --json`: each of `results`", "`result_fields()`: each of `results`",
       described(kSchemaFields), {"This description itself: `attnrank schema` writes it as docs/result-schema.md."}},
  };
}

}  // namespace

}  // namespace attnrank
