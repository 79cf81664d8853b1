// The lab's verdicts (see verdicts.h).
#include "attnrank/lab/verdicts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "attnrank/base/errors.h"
#include "attnrank/lab/experiments.h"
#include "attnrank/lab/tasks.h"

namespace attnrank::lab {
namespace {

// The verdicts' words, English and Chinese, defined once: templates with {holes}.
struct VerdictWords {
  const char* key;
  const char* en;
  const char* zh;
};
constexpr VerdictWords kVerdictWords[] = {
    {"supported", "supported", "支持"},
    {"contradicted", "contradicted", "被否定"},
    {"inconclusive", "inconclusive", "无定论"},
    {"a_better", "{a} better (the bands are disjoint)", "{a} 更好（两个区间不相交）"},
    {"b_better", "{b} better (the bands are disjoint)", "{b} 更好（两个区间不相交）"},
    {"no_difference", "no difference (the bands overlap)", "无差别（两个区间重叠）"},
    // English counts take their plural from the number ("1 complete seed", "2 complete seeds").
    {"not_enough_runs", "not enough runs ({seeds} complete seeds of {config}, {needed} needed)",
     "运行不够（{config} 只有 {seeds} 个完整种子，需要 {needed} 个）"},
    {"not_enough_runs_one", "not enough runs (1 complete seed of {config}, {needed} needed)",
     "运行不够（{config} 只有 1 个完整种子，需要 {needed} 个）"},
    {"not_learned", "not tested at these settings: {configs} did not beat the baseline {baseline} by more than {margin} on every seed",
     "在这些设置下未检验：{configs} 没有在每个种子上都比基线 {baseline} 好出 {margin} 以上"},
    {"b_at_baseline", "; {b} did not beat the baseline {baseline} by more than {margin} on every seed, which this comparison allows",
     "；{b} 没有在每个种子上都比基线 {baseline} 好出 {margin} 以上，这一比较允许这样"},
    {"no_runs", "no runs of {config}", "没有 {config} 的运行"},
    {"comparison", "{claim}, {experiment}: {question} {a} {a_band} against {b} {b_band} ({metric}; mean [min, max] over seeds): {outcome}. Verdict: {verdict}.",
     "{claim}，{experiment}：{question}{a} {a_band} 对 {b} {b_band}（{metric}；各种子的均值 [最小, 最大]）：{outcome}。结论：{verdict}。"},
    {"heldout_loss", "held-out loss", "留出损失"},
    {"heldout_accuracy", "held-out accuracy", "留出准确率"},
    {"claim", "{claim}: {verdict} ({count} comparisons in {experiments}: {supported} supported, {contradicted} contradicted, {inconclusive} inconclusive).{untested}",
     "{claim}：{verdict}（{experiments} 中的 {count} 项比较：{supported} 项支持，{contradicted} 项否定，{inconclusive} 项无定论）。{untested}"},
    {"claim_one", "{claim}: {verdict} (1 comparison in {experiments}: {supported} supported, {contradicted} contradicted, {inconclusive} inconclusive).{untested}",
     "{claim}：{verdict}（{experiments} 中的 1 项比较：{supported} 项支持，{contradicted} 项否定，{inconclusive} 项无定论）。{untested}"},
    {"claim_untested", " Not tested at these settings: {configs} did not beat the baseline by more than {margin} on every seed.",
     "在这些设置下未检验：{configs} 没有在每个种子上都比基线好出 {margin} 以上。"},
    {"untested_config", "{config} ({experiment}, baseline {baseline})", "{config}（{experiment}，基线 {baseline}）"},
    {"claim_no_runs", "{claim}: inconclusive (no experiment of it has runs).", "{claim}：无定论（它的实验都还没有运行）。"},
    {"none", "-", "-"},
};

const VerdictWords& words_of(const std::string& key) {
  for (const VerdictWords& w : kVerdictWords)
    if (key == w.key) return w;
  throw std::logic_error("verdict words: no " + key);
}

std::string fill(const char* text, const std::vector<std::pair<const char*, std::string>>& holes) {
  std::string out = text;
  for (const auto& [hole, value] : holes) {
    const std::string marker = std::string("{") + hole + "}";
    for (std::size_t at = out.find(marker); at != std::string::npos; at = out.find(marker, at + value.size())) {
      out.replace(at, marker.size(), value);
    }
  }
  return out;
}

// Both languages of one template.
std::pair<std::string, std::string> say(const std::string& key,
                                        const std::vector<std::pair<const char*, std::string>>& holes) {
  const VerdictWords& w = words_of(key);
  return {fill(w.en, holes), fill(w.zh, holes)};
}

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

// kLearnedMargin as a percentage of the baseline ("2%").
std::string margin_text() { return number_text(100.0 * kLearnedMargin) + "%"; }

std::string band_text(const std::optional<LabBandRecord>& band) {
  if (!band) return "-";
  return number_text(band->mean) + " [" + number_text(band->low) + ", " + number_text(band->high) + "]";
}

LabBandRecord band_of(std::vector<std::pair<std::uint64_t, double>> values) {
  std::sort(values.begin(), values.end());
  LabBandRecord band;
  double sum = 0.0;
  band.low = values.front().second;
  band.high = values.front().second;
  for (const auto& [seed, value] : values) {
    band.seeds.push_back(static_cast<double>(seed));
    band.values.push_back(value);
    sum += value;
    band.low = std::min(band.low, value);
    band.high = std::max(band.high, value);
  }
  band.mean = sum / static_cast<double>(values.size());
  return band;
}

struct Selected {
  const RunRecord* record = nullptr;
  bool is_complete = false;
};
// (task, config) -> seed -> the run's record.
using Runs = std::map<std::pair<std::string, std::string>, std::map<std::uint64_t, Selected>>;

class Evaluation {
 public:
  Evaluation(const Runs& runs, LabVerdictsRecord& out) : runs_(runs), out_(out) {}

  // The seeds of (task, config); a bidirectional configuration mlm or lm-vs-mlm lacks is its twin's.
  const std::map<std::uint64_t, Selected>* runs_of(const std::string& task, const std::string& config) {
    const auto own = runs_.find({task, config});
    if (own != runs_.end()) return &own->second;
    if (config.rfind("bidirectional:", 0) != 0) return nullptr;
    const std::string twin = task == "mlm" ? "lm-vs-mlm" : task == "lm-vs-mlm" ? "mlm" : "";
    const auto other = twin.empty() ? runs_.end() : runs_.find({twin, config});
    if (other == runs_.end()) return nullptr;
    const std::string note = task + " " + config + " from " + twin;
    if (std::find(out_.borrowed.begin(), out_.borrowed.end(), note) == out_.borrowed.end()) out_.borrowed.push_back(note);
    return &other->second;
  }

  static double metric(const RunRecord& record, Metric m) {
    return m == Metric::kHeldoutLoss ? record.heldout_loss : *record.heldout_accuracy;
  }

  // The baseline of a configuration of an experiment (its complete runs' records'; 0 without any).
  double baseline_of(const std::string& experiment_id, const std::string& config) {
    double baseline = 0.0;
    learned(experiment_id, config, experiment(experiment_id).metric, &baseline);
    return baseline;
  }

  // Side values per complete seed: config's metric, minus minus's when given (seeds complete in both).
  std::optional<std::vector<std::pair<std::uint64_t, double>>> side(const std::string& task, const std::string& config,
                                                                    const std::string& minus, Metric m) {
    const auto* runs = runs_of(task, config);
    const auto* minus_runs = minus.empty() ? nullptr : runs_of(task, minus);
    if (runs == nullptr || (!minus.empty() && minus_runs == nullptr)) return std::nullopt;
    std::vector<std::pair<std::uint64_t, double>> values;
    for (const auto& [seed, selected] : *runs) {
      if (!selected.is_complete) continue;
      double value = metric(*selected.record, m);
      if (minus_runs != nullptr) {
        const auto other = minus_runs->find(seed);
        if (other == minus_runs->end() || !other->second.is_complete) continue;
        value -= metric(*other->second.record, m);
      }
      values.emplace_back(seed, value);
    }
    return values;
  }

  // Whether config beat its baseline by more than kLearnedMargin of it on every complete seed (false when it
  // has none): loss below (1 - margin) baseline, accuracy above (1 + margin) baseline.
  bool learned(const std::string& task, const std::string& config, Metric m, double* baseline) {
    const auto* runs = runs_of(task, config);
    if (runs == nullptr) return false;
    for (const auto& [seed, selected] : *runs) {
      if (!selected.is_complete) continue;
      const RunRecord& r = *selected.record;
      *baseline = r.baseline;
      const bool beats = m == Metric::kHeldoutLoss ? r.heldout_loss < (1.0 - kLearnedMargin) * r.baseline
                                                   : *r.heldout_accuracy > (1.0 + kLearnedMargin) * r.baseline;
      if (!beats) return false;
    }
    return true;
  }

  LabComparisonVerdictRecord compare(const Experiment& e, const Comparison& c) {
    LabComparisonVerdictRecord out;
    out.experiment = e.id;
    out.claim = c.claim;
    out.a = c.a;
    out.a_minus = c.a_minus;
    out.b = c.b;
    out.b_minus = c.b_minus;
    out.metric = metric_name(e.metric);
    out.expect = expectation_name(c.expect);
    const auto a = side(e.id, c.a, c.a_minus, e.metric);
    const auto b = side(e.id, c.b, c.b_minus, e.metric);
    if (a && !a->empty()) out.a_band = band_of(*a);
    if (b && !b->empty()) out.b_band = band_of(*b);
    if (a && b) {
      std::map<std::uint64_t, double> b_values(b->begin(), b->end());
      std::vector<std::pair<std::uint64_t, double>> difference;
      for (const auto& [seed, value] : *a) {
        const auto other = b_values.find(seed);
        if (other != b_values.end()) difference.emplace_back(seed, value - other->second);
      }
      if (!difference.empty()) out.difference = band_of(difference);
    }
    const std::string a_label = c.a_minus.empty() ? c.a : c.a + " - " + c.a_minus;
    const std::string b_label = c.b_minus.empty() ? c.b : c.b + " - " + c.b_minus;
    std::pair<std::string, std::string> outcome;
    if (!a || !b) {
      std::string missing;
      for (const std::string* config : {&c.a, &c.a_minus, &c.b, &c.b_minus}) {
        if (!config->empty() && runs_of(e.id, *config) == nullptr) missing += (missing.empty() ? "" : ", ") + *config;
      }
      out.outcome = "no_runs";
      outcome = say("no_runs", {{"config", missing}});
    } else if (static_cast<int>(a->size()) < kVerdictMinSeeds || static_cast<int>(b->size()) < kVerdictMinSeeds) {
      const bool a_short = static_cast<int>(a->size()) < kVerdictMinSeeds;
      out.outcome = "not_enough_runs";
      const std::size_t seeds = a_short ? a->size() : b->size();
      outcome = say(seeds == 1 ? "not_enough_runs_one" : "not_enough_runs", {{"seeds", std::to_string(seeds)},
                                        {"config", a_short ? a_label : b_label},
                                        {"needed", std::to_string(kVerdictMinSeeds)}});
    } else {
      double baseline = 0.0;
      for (const std::string* config : {&c.a, &c.a_minus, &c.b, &c.b_minus}) {
        if (config->empty() || ((config == &c.b || config == &c.b_minus) && c.b_may_not_learn)) continue;
        if (!learned(e.id, *config, e.metric, &baseline)) out.not_learned.push_back(*config);
      }
      if (!out.not_learned.empty()) {
        std::string configs;
        for (const std::string& config : out.not_learned) configs += (configs.empty() ? "" : ", ") + config;
        out.outcome = "not_learned";
        outcome = say("not_learned", {{"configs", configs}, {"baseline", number_text(baseline)}, {"margin", margin_text()}});
      } else {
        const bool lower = e.metric == Metric::kHeldoutLoss;
        const LabBandRecord& x = *out.a_band;
        const LabBandRecord& y = *out.b_band;
        const bool a_beyond = lower ? x.high < y.low : x.low > y.high;
        const bool b_beyond = lower ? y.high < x.low : y.low > x.high;
        out.outcome = a_beyond ? "a_better" : b_beyond ? "b_better" : "no_difference";
        outcome = say(out.outcome, {{"a", a_label}, {"b", b_label}});
        // Say when the decision rests on a side B that learned nothing (allowed: C16's bidirectional side).
        if (c.b_may_not_learn) {
          for (const std::string* config : {&c.b, &c.b_minus}) {
            if (config->empty() || learned(e.id, *config, e.metric, &baseline)) continue;
            const auto note = say("b_at_baseline", {{"b", *config}, {"baseline", number_text(baseline)}, {"margin", margin_text()}});
            outcome.first += note.first;
            outcome.second += note.second;
          }
        }
      }
    }
    const bool a_wins = out.outcome == "a_better";
    const bool b_wins = out.outcome == "b_better";
    if (!a_wins && !b_wins) {
      out.verdict = "inconclusive";
    } else if (c.expect == Expectation::kABetter) {
      out.verdict = a_wins ? "supported" : "contradicted";
    } else {
      out.verdict = b_wins ? "supported" : "contradicted";
    }
    const VerdictWords& verdict = words_of(out.verdict);
    const VerdictWords& metric_words = words_of(out.metric);
    const VerdictWords& sentence = words_of("comparison");
    const std::vector<std::pair<const char*, std::string>> common = {
        {"claim", c.claim}, {"experiment", e.id}, {"a", a_label}, {"b", b_label},
        {"a_band", band_text(out.a_band)}, {"b_band", band_text(out.b_band)}};
    auto en = common;
    en.insert(en.end(), {{"question", c.question_en}, {"metric", metric_words.en}, {"outcome", outcome.first},
                         {"verdict", verdict.en}});
    auto zh = common;
    zh.insert(zh.end(), {{"question", c.question_zh}, {"metric", metric_words.zh}, {"outcome", outcome.second},
                         {"verdict", verdict.zh}});
    // The question first: its own holes are not filled (none of them are {holes}).
    out.text_en = fill(sentence.en, en);
    out.text_zh = fill(sentence.zh, zh);
    return out;
  }

 private:
  const Runs& runs_;
  LabVerdictsRecord& out_;
};

[[noreturn]] void refuse(std::size_t index, const std::string& what) {
  fail(ErrorCode::kInvalidArgument, "records", message("records[", static_cast<long long>(index), "]: ", what));
}

}  // namespace

LabVerdictsRecord evaluate_verdicts(const std::vector<RunRecord>& records, std::optional<int> at_step) {
  Runs runs;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const RunRecord& r = records[i];
    const Experiment* found = nullptr;
    try {
      found = &experiment_for(parse_task(r.task));
    } catch (const Error& error) {
      refuse(i, error.what());
    }
    const Experiment& e = *found;
    if (!std::isfinite(r.heldout_loss) || !std::isfinite(r.baseline) ||
        (r.heldout_accuracy && !std::isfinite(*r.heldout_accuracy))) {
      refuse(i, "heldout_loss, heldout_accuracy and baseline must be finite");
    }
    if (e.metric == Metric::kHeldoutAccuracy && !r.heldout_accuracy) refuse(i, "task " + r.task + " needs heldout_accuracy");
    if (r.step < 0 || r.steps < 1 || r.step > r.steps) {
      refuse(i, message("step=", r.step, " must be in [0, steps=", r.steps, "]"));
    }
    if (at_step && r.step != *at_step) continue;
    Selected& selected = runs[{r.task, r.config}][r.seed];
    if (selected.record == nullptr || selected.record->step <= r.step) {
      selected.record = &r;
      selected.is_complete = at_step ? true : r.step == r.steps;
    }
  }
  LabVerdictsRecord out;
  Evaluation evaluation(runs, out);
  std::set<std::string> tasks_run;
  for (const auto& [key, seeds] : runs) tasks_run.insert(key.first);
  std::vector<std::string> claims;
  for (const Experiment& e : experiments()) {
    for (const std::string& claim : e.claims)
      if (std::find(claims.begin(), claims.end(), claim) == claims.end()) claims.push_back(claim);
    if (tasks_run.count(e.id) == 0) continue;
    for (const Comparison& c : e.comparisons) out.comparisons.push_back(evaluation.compare(e, c));
  }
  // C9, C11, C12, C16 in number order, then the others (recall).
  const auto rank = [](const std::string& claim) {
    return claim.size() > 1 && claim[0] == 'C' ? std::atoi(claim.c_str() + 1) : 1000;
  };
  std::stable_sort(claims.begin(), claims.end(), [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  for (const std::string& claim : claims) {
    LabClaimVerdictRecord verdict;
    verdict.claim = claim;
    int supported = 0, contradicted = 0, inconclusive = 0;
    std::vector<std::pair<std::string, std::string>> untested;  // the configurations that did not learn, both languages
    for (const LabComparisonVerdictRecord& c : out.comparisons) {
      if (c.claim != claim) continue;
      if (c.outcome == "not_learned") {
        for (const std::string& config : c.not_learned) {
          const auto entry = say("untested_config", {{"config", config}, {"experiment", c.experiment},
                                                     {"baseline", number_text(evaluation.baseline_of(c.experiment, config))}});
          if (std::find(untested.begin(), untested.end(), entry) == untested.end()) untested.push_back(entry);
        }
      }
      if (std::find(verdict.experiments.begin(), verdict.experiments.end(), c.experiment) == verdict.experiments.end()) {
        verdict.experiments.push_back(c.experiment);
      }
      (c.verdict == "supported" ? supported : c.verdict == "contradicted" ? contradicted : inconclusive) += 1;
    }
    const int count = supported + contradicted + inconclusive;
    verdict.verdict = count > 0 && supported == count      ? "supported"
                      : count > 0 && contradicted == count ? "contradicted"
                                                           : "inconclusive";
    std::pair<std::string, std::string> text;
    if (count == 0) {
      text = say("claim_no_runs", {{"claim", claim}});
    } else {
      std::string experiments_text;
      for (const std::string& id : verdict.experiments) experiments_text += (experiments_text.empty() ? "" : ", ") + id;
      const VerdictWords& w = words_of(verdict.verdict);
      const std::vector<std::pair<const char*, std::string>> holes = {
          {"claim", claim}, {"count", std::to_string(count)}, {"experiments", experiments_text},
          {"supported", std::to_string(supported)}, {"contradicted", std::to_string(contradicted)},
          {"inconclusive", std::to_string(inconclusive)}};
      auto en = holes;
      en.emplace_back("verdict", w.en);
      auto zh = holes;
      zh.emplace_back("verdict", w.zh);
      std::string untested_en, untested_zh;
      if (!untested.empty()) {
        std::string list_en, list_zh;
        for (const auto& [entry_en, entry_zh] : untested) {
          list_en += (list_en.empty() ? "" : ", ") + entry_en;
          list_zh += (list_zh.empty() ? "" : "、") + entry_zh;
        }
        untested_en = fill(words_of("claim_untested").en, {{"configs", list_en}, {"margin", margin_text()}});
        untested_zh = fill(words_of("claim_untested").zh, {{"configs", list_zh}, {"margin", margin_text()}});
      }
      en.emplace_back("untested", untested_en);
      zh.emplace_back("untested", untested_zh);
      const VerdictWords& claim_words = words_of(count == 1 ? "claim_one" : "claim");
      text = {fill(claim_words.en, en), fill(claim_words.zh, zh)};
    }
    verdict.text_en = text.first;
    verdict.text_zh = text.second;
    out.claims.push_back(std::move(verdict));
  }
  return out;
}

ResultValue verdicts_result(const std::vector<RunRecord>& records, std::optional<int> at_step) {
  return lab_verdicts_result(evaluate_verdicts(records, at_step));
}

}  // namespace attnrank::lab
