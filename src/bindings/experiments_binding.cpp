// The depth, heads, architecture and permutation experiments (docs/depth.md): collapse(config),
// mixture(config), architectures(config), permutation(config). Keys of each result from result_fields.h;
// the matrices and masks a config asks for are added as copies.
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
  read_config(js, mixture_fields(), kRequestMixture, c);
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
