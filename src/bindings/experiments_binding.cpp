// The depth, heads, architecture and permutation experiments (docs/depth.md): collapse(config),
// mixture(config), architectures(config), permutation(config). Keys of each result from result_fields.h;
// the matrices and masks a config asks for are added as copies.
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

CollapseConfig collapse_config_from_js(const val& js) {
  require_plain_object(js);
  reject_unknown_keys(js, {"pattern", "variant", "n", "d_model", "d_k", "d_ff", "layers", "scale", "seed", "prefix",
                           "window", "memory_budget_mib"});
  auto has = [&js](const char* key) { return has_key(js, key); };
  CollapseConfig c;
  if (has("pattern")) c.pattern = parse_depth_schedule(read_string(js["pattern"], "pattern"));
  if (has("variant")) c.variant = parse_collapse_variant(read_string(js["variant"], "variant"));
  if (has("n")) c.n = read_parameter_int(js, "n");
  if (has("d_model")) c.d_model = read_parameter_int(js, "d_model");
  if (has("d_k")) c.d_k = read_parameter_int(js, "d_k");
  if (has("d_ff")) c.d_ff = read_parameter_int(js, "d_ff");
  if (has("layers")) c.layers = read_parameter_int(js, "layers");
  if (has("scale")) c.scale = read_number(js["scale"], "scale");
  if (has("memory_budget_mib")) c.memory_budget_mib = read_parameter_int(js, "memory_budget_mib");
  c.seed = read_seed(js);
  if (has("prefix")) {
    c.prefix = read_int(js["prefix"], "prefix");
    require_prefix(c.prefix, c.n);  // here only because the core reads -1 as "the default" (collapse.h)
  }
  if (has("window")) {
    c.window = read_int(js["window"], "window");
    require_window(c.window, c.n);
  }
  return c;
}

MixtureConfig mixture_config_from_js(const val& js) {
  require_plain_object(js);
  reject_unknown_keys(js, {"n", "d_model", "heads", "scale", "seed", "want_matrices", "memory_budget_mib"});
  auto has = [&js](const char* key) { return has_key(js, key); };
  MixtureConfig c;
  if (has("n")) c.n = read_parameter_int(js, "n");
  if (has("d_model")) c.d_model = read_parameter_int(js, "d_model");
  if (has("heads")) c.heads = read_parameter_int(js, "heads");
  if (has("scale")) c.scale = read_number(js["scale"], "scale");
  if (has("want_matrices")) c.want_matrices = read_bool(js["want_matrices"], "want_matrices");
  if (has("memory_budget_mib")) c.memory_budget_mib = read_parameter_int(js, "memory_budget_mib");
  c.seed = read_seed(js);
  return c;
}

ArchitectureConfig architecture_config_from_js(const val& js) {
  require_plain_object(js);
  reject_unknown_keys(js, {"d_model", "layers", "heads", "d_ff", "vocab", "n_in", "n_out", "want_masks"});
  auto has = [&js](const char* key) { return has_key(js, key); };
  ArchitectureConfig c;
  if (has("d_model")) c.d_model = read_parameter_int(js, "d_model");
  if (has("layers")) c.layers = read_parameter_int(js, "layers");
  if (has("heads")) c.heads = read_parameter_int(js, "heads");
  if (has("d_ff")) c.d_ff = read_parameter_int(js, "d_ff");
  if (has("vocab")) c.vocab = read_parameter_int(js, "vocab");
  if (has("n_in")) c.n_in = read_parameter_int(js, "n_in");
  if (has("n_out")) c.n_out = read_parameter_int(js, "n_out");
  return c;
}

PermutationConfig permutation_config_from_js(const val& js) {
  require_plain_object(js);
  reject_unknown_keys(js, {"pattern", "n", "d_model", "scale", "seed", "prefix", "window", "memory_budget_mib"});
  auto has = [&js](const char* key) { return has_key(js, key); };
  PermutationConfig c;
  c.mask.kind = parse_pattern(has("pattern") ? read_string(js["pattern"], "pattern") : "bidirectional");
  if (c.mask.kind == PatternKind::kCustom) invalid("pattern", "pattern=custom is not available for the permutation test");
  if (has("n")) c.n = read_parameter_int(js, "n");
  if (has("d_model")) c.d_model = read_parameter_int(js, "d_model");
  if (has("scale")) c.scale = read_number(js["scale"], "scale");
  if (has("memory_budget_mib")) c.memory_budget_mib = read_parameter_int(js, "memory_budget_mib");
  c.seed = read_seed(js);
  c.mask.prefix = has("prefix") ? read_int(js["prefix"], "prefix") : default_prefix(c.n);
  c.mask.window = has("window") ? read_int(js["window"], "window") : default_window(c.n);
  return c;
}

}  // namespace

// {pattern, variant, n, d_model, ..., relative_residual, composite_residual, frobenius_norm, path_* and
// random_path_* (Float64Array, L + 1 each), path_first_column (Float64Array (L + 1) * n)}
val collapse_js(val config) {
  return call_guarded(
      [&config] {
        const CollapseConfig c = collapse_config_from_js(config);
        return to_js(collapse_result(c, run_collapse(c)));
      },
      config);
}

// mixture_result's keys; with want_matrices also head_matrices (array of Float64Array n*n),
// product_matrix and split_head_matrix.
val mixture_js(val config) {
  return call_guarded(
      [&config] {
        const MixtureConfig c = mixture_config_from_js(config);
        const MixtureResult r = run_mixture(c);
        val out = to_js(mixture_result(c, r));
        if (c.want_matrices) {
          val matrices = val::array();
          for (const MatrixXd& m : r.head_matrices) matrices.call<void>("push", matrix_to_js(m));
          out.set("head_matrices", matrices);
          out.set("product_matrix", matrix_to_js(r.product_matrix));
          out.set("split_head_matrix", matrix_to_js(r.split_head_matrix));
        }
        return out;
      },
      config);
}

// architectures_result's keys; with want_masks also masks: {decoder_only, prefix_lm (Uint8Array N*N),
// encoder_self (n_in*n_in), decoder_self (n_out*n_out), cross (n_out*n_in)}.
val architectures_js(val config) {
  return call_guarded(
      [&config] {
        const ArchitectureConfig c = architecture_config_from_js(config);
        const bool want_masks = has_key(config, "want_masks") && read_bool(config["want_masks"], "want_masks");
        val out = to_js(architectures_result(c, architecture_costs(c)));
        if (want_masks) {
          const ArchitectureMasks m = architecture_masks(c);
          val masks = val::object();
          masks.set("decoder_only", mask_to_js(m.decoder_only));
          masks.set("prefix_lm", mask_to_js(m.prefix_lm));
          masks.set("encoder_self", mask_to_js(m.encoder_self));
          masks.set("decoder_self", mask_to_js(m.decoder_self));
          masks.set("cross", mask_to_js(m.cross));
          out.set("masks", masks);
        }
        return out;
      },
      config);
}

// permutation_result's keys: claims.md C16 (permutation.h).
val permutation_js(val config) {
  return call_guarded(
      [&config] {
        const PermutationConfig c = permutation_config_from_js(config);
        return to_js(permutation_result(c, run_permutation_test(c)));
      },
      config);
}

}  // namespace attnrank::js
