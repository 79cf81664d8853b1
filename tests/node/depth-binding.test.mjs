// The wasm functions of issue 6: collapse(config), mixture(config), architectures(config), permutation(config). Loads the
// shipped figures' module (web/wasm/attnrank-figures.*) or, with ATTNRANK_WASM_DIR, another build of it. Checks shapes, the claims.md
// "Depth" ordering, agreement with the native CLI's JSON when build/native/attnrank exists (same seed, same
// curve to 1e-9 relative), and that bad configs throw JS Errors naming the key or value.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { kFiguresModule, loadAttnrank, root } from './load-wasm.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
let attnrank;

before(async () => {
  attnrank = await loadAttnrank(kFiguresModule);  // the figures' module serves the depth figures (load-wasm.mjs)
  assert.equal(typeof attnrank.collapse, 'function', 'the wasm module predates collapse(): rebuild it');
});

describe('collapse()', () => {
  test('per-layer Float64Arrays and the depth ordering', () => {
    const last = (pattern, variant = 'pure') => {
      const r = attnrank.collapse({ pattern, variant, n: 64, d_model: 8, layers: 12, seed: 0 });
      assert.ok(r.relative_residual instanceof Float64Array);
      assert.equal(r.relative_residual.length, 13);
      assert.equal(r.path_first_column.length, 13 * 64);
      return r;
    };
    const bidirectional = last('bidirectional');
    const forward = last('forward');
    const window = last('window');
    assert.ok(bidirectional.relative_residual[12] < 1e-8);
    assert.ok(forward.relative_residual[12] < 0.05 && forward.relative_residual[12] > bidirectional.relative_residual[12]);
    assert.ok(window.relative_residual[12] > 0.5);
    assert.ok(last('bidirectional', 'skip').relative_residual[12] > 0.3);
    assert.ok(forward.path_distance_to_token0[12] < 0.05);
    assert.ok(bidirectional.random_path_residual[12] < 1e-8 && window.random_path_residual[12] > 0.5);
    assert.equal(forward.window, 4);
    assert.equal(forward.prefix, 32);
  });

  test('same numbers as the native CLI', { skip: !existsSync(cliPath) && 'no native CLI' }, () => {
    const cli = JSON.parse(execFileSync(cliPath, ['collapse', '--json', '--patterns', 'forward,forward_backward',
      '--variants', 'pure,skip+mlp+layernorm', '--seed', '5'], { encoding: 'utf8' }));
    for (const run of cli.runs) {
      const r = attnrank.collapse({ pattern: run.pattern, variant: run.variant, seed: 5 });
      for (const key of ['relative_residual', 'composite_residual', 'path_residual', 'random_path_residual']) {
        run[key].forEach((value, layer) => {
          const got = r[key][layer];
          assert.ok(Math.abs(got - value) <= 1e-9 * Math.abs(value) + 1e-15, `${run.pattern} ${run.variant} ${key}[${layer}]: ${got} vs ${value}`);
        });
      }
    }
  });

  test('bad configs', () => {
    assert.throws(() => attnrank.collapse({ layers: 0 }), { message: 'layers=0 must be in [1, 1024]' });
    assert.throws(() => attnrank.collapse({ heads: 2 }), /config key "heads" is unknown/);
    assert.throws(() => attnrank.collapse({ variant: 'dropout' }), /variant=dropout is unknown/);
    assert.throws(() => attnrank.collapse({ pattern: 'prefix', prefix: -1 }), { message: 'prefix=-1 must be >= 0' });
    assert.throws(() => attnrank.collapse(null), /config must be a plain object/);
  });
});

describe('mixture()', () => {
  test('heads triangular, product strictly positive', () => {
    const r = attnrank.mixture({ n: 32, d_model: 16, heads: 4, want_matrices: true });
    assert.deepEqual(r.per_head.map((h) => h.direction), ['forward', 'forward', 'backward', 'backward']);
    for (const head of r.per_head) {
      assert.ok(head.is_triangular && head.min_diagonal > 0 && head.stats.structurally_full_rank);
    }
    assert.ok(r.product.is_strictly_positive && r.product.min_entry > 0);
    assert.equal(r.head_matrices.length, 4);
    assert.equal(r.product_matrix.length, 32 * 32);
    assert.throws(() => attnrank.mixture({ heads: 3, d_model: 12 }), /heads=3 must be even/);
  });
});

describe('architectures()', () => {
  test('hand-computed small configuration and masks', () => {
    const r = attnrank.architectures({ d_model: 4, layers: 2, heads: 2, d_ff: 8, vocab: 10, n_in: 3, n_out: 2, want_masks: true });
    assert.deepEqual(r.architectures.map((a) => [a.architecture, a.parameters, a.flops]),
      [['gpt', 316, 2528], ['unilm', 316, 2624], ['t5', 728, 3936]]);
    assert.deepEqual(Array.from(r.masks.prefix_lm), [1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1]);
    assert.equal(r.masks.cross.length, 6);
    assert.throws(() => attnrank.architectures({ vocab: 0 }), { message: 'vocab=0 must be in [1, 16777216]' });
  });
});

describe('permutation()', () => {
  test('bidirectional equivariant, forward not', () => {
    const bidirectional = attnrank.permutation({ pattern: 'bidirectional' });
    assert.ok(bidirectional.is_equivariant && bidirectional.relative_deviation < 1e-12);
    assert.equal(bidirectional.permutation.length, 64);
    const forward = attnrank.permutation({ pattern: 'forward' });
    assert.ok(!forward.is_equivariant && forward.relative_deviation > 1e-3);
    assert.throws(() => attnrank.permutation({ pattern: 'custom' }), /pattern=custom is not available/);
    assert.throws(() => attnrank.permutation({ layers: 2 }), /config key "layers" is unknown/);
  });
});
