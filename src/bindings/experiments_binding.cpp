// The depth, heads, architecture and permutation experiments (docs/depth.md): collapse(config),
// mixture(config), architectures(config), permutation(config). Keys of each result from result_fields.h,
// the wasm-only matrices and masks a config asks for included (copied into JS arrays).
#include <set>
#include <string>

#include "attnrank/base/errors.h"
#include "attnrank/experiments/architecture.h"
#include "attnrank/experiments/collapse.h"
#include "attnrank/experiments/mixture.h"
#include "attnrank/experiments/permutation.h"
#include "attnrank/io/result_fields.h"
#include "exports.h"
#include "js_convert.h"
#include "js_read.h"

namespace attnrank::js {
namespace {

// Each config object through the core's field table of its request (request_fields.h), then the
// request's special cases: collapse's given prefix / window (it reads -1 as its default), the size
// defaults of permutation, which runs no custom pattern.
CollapseConfig collapse_config_from_js(const val& js) {
  CollapseConfig c;
  const std::set<std::string> given = read_config(js, collapse_fields(), kRequestCollapse, c);
  finish_collapse_config(c, given.count("prefix") > 0, given.count("window") > 0);
  return c;
}

MixtureConfig mixture_config_from_js(const val& js) {
  MixtureConfig c;
  const std::set<std::string> given = read_config(js, mixture_fields(), kRequestMixture, c);
  finish_mixture_config(c, given.count("d") > 0, given.count("d_model") > 0);
  return c;
}

ArchitectureConfig architecture_config_from_js(const val& js) {
  ArchitectureConfig c;
  read_config(js, architecture_fields(), kRequestArch, c);  // want_masks: read by architectures_js
  return c;
}

PermutationConfig permutation_config_from_js(const val& js) {
  PermutationConfig c;
  const std::set<std::string> given = read_config(js, permutation_fields(), kRequestPermutation, c);
  if (c.mask.kind == PatternKind::kCustom) invalid("pattern", "pattern=custom is not available for the permutation test");
  finish_permutation_config(c, given.count("prefix") > 0, given.count("window") > 0);
  return c;
}

}  // namespace

// collapse_result's keys (docs/result-schema.md).
val collapse_js(val config) {
  return call_guarded(
      ArgumentNames{{"config"}},
      [&config] {
        const CollapseConfig c = collapse_config_from_js(config);
        return to_js(collapse_result(c, run_collapse(c)));
      },
      config);
}

// mixture_result's keys, with the wasm-only matrices when the config has want_matrices.
val mixture_js(val config) {
  return call_guarded(
      ArgumentNames{{"config"}},
      [&config] {
        const MixtureConfig c = mixture_config_from_js(config);
        const MixtureResult r = run_mixture(c);
        return to_js(mixture_result(c, r, ResultTarget::kWasm));
      },
      config);
}

// architectures_result's keys, with the wasm-only masks when the config has want_masks.
val architectures_js(val config) {
  return call_guarded(
      ArgumentNames{{"config"}},
      [&config] {
        const ArchitectureConfig c = architecture_config_from_js(config);
        const bool want_masks = has_key(config, "want_masks") && read_bool(config["want_masks"], "want_masks");
        const std::vector<ArchitectureCost> costs = architecture_costs(c);
        ArchitectureMasks masks;
        if (want_masks) masks = architecture_masks(c);
        return to_js(architectures_result(c, costs, ResultTarget::kWasm, want_masks ? &masks : nullptr));
      },
      config);
}

// permutation_result's keys: claims.md C16 (permutation.h).
val permutation_js(val config) {
  return call_guarded(
      ArgumentNames{{"config"}},
      [&config] {
        const PermutationConfig c = permutation_config_from_js(config);
        return to_js(permutation_result(c, run_permutation_test(c)));
      },
      config);
}

}  // namespace attnrank::js
