// What the wasm-module tests share (wasm-module, wasm-cli-parity, wasm-errors): the native CLI's path, the
// key types of an analysis result, and a naive oracle of each pattern's mask (design.md section 2).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The native CLI the comparisons run: ATTNRANK_CLI, or build/native/attnrank.
export const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');

export const patternNames = ['bidirectional', 'prefix', 'forward', 'backward', 'window', 'forward_window', 'custom'];
export const integerKeys = ['prefix', 'window', 'features', 'feature_dimension', 'n', 'd', 'seed', 'repeat',
  'numerical_rank_f64', 'numerical_rank_f32', 'energy_rank_99', 'det_sign', 'logits_rank'];
export const numberKeys = ['scale', 'effective_rank', 'stable_rank', 'sigma_max', 'sigma_min', 'accuracy_floor',
  'condition_number'];
export const booleanKeys = ['rope', 'condition_number_is_lower_bound', 'log_abs_det_is_reliable',
  'structurally_full_rank', 'sigma_min_is_upper_bound'];
export const stringKeys = ['pattern', 'kind', 'feature', 'input', 'precision'];

// The defining predicate of each pattern (design.md section 2): a naive oracle for the tests.
export function isAllowed(result, i, j) {
  switch (result.pattern) {
    case 'bidirectional': return true;
    case 'prefix': return j < result.prefix || j <= i;
    case 'forward': return j <= i;
    case 'backward': return j >= i;
    case 'window': return Math.abs(i - j) < result.window;
    case 'forward_window': return i - j >= 0 && i - j < result.window;
    default: throw new Error(`no oracle for pattern ${result.pattern}`);
  }
}

export function customMask(n, allowed) {
  const mask = new Uint8Array(n * n);
  for (let i = 0; i < n; ++i) for (let j = 0; j < n; ++j) mask[i * n + j] = allowed(i, j) ? 1 : 0;
  return mask;
}

