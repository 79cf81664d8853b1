// What the node tests of the training lab share: a wasm checkpoint record against the native one
// (tests/node/lab-binding.test.mjs, lab-gallery.test.mjs). Every training number (losses, accuracy, learning
// rate, permutation error), integer, flag and string is compared exactly; a head's rank statistics within the
// accuracy floor or 1e-9 relative (its determinant only where log_abs_det_is_reliable): the probe's attention
// matrices are the same bits, and so are their singular values since issue 20's reduction (b34736d), but the
// effective rank takes libm's logarithm, which differs natively and in wasm, and the gallery's statistics were
// made with the SVD before b34736d (Eigen's) and the determinant before the SVD gave it (an LU's).
import assert from 'node:assert/strict';

// Keys equal at every level; numbers exactly, except a head's rank statistics (floats within the floor or
// 1e-9 relative; their integers exactly).
export function compareRecord(wasm, cli, where) {
  assert.deepEqual(Object.keys(wasm), Object.keys(cli), `${where}: keys`);
  for (const key of Object.keys(cli)) {
    if (key === 'heads') {
      assert.equal(wasm.heads.length, cli.heads.length);
      wasm.heads.forEach((head, index) => {
        const other = cli.heads[index];
        assert.deepEqual(Object.keys(head), Object.keys(other), `${where} head ${index}: keys`);
        for (const stat of Object.keys(other)) {
          const [a, b] = [head[stat], other[stat]];
          // An unreliable determinant (the flag itself compared exactly) is rounding noise of whichever method
          // made it: the gallery's came from an LU (exact-zero pivots: sign 0, null), a request's since issue
          // 20's determinant from the SVD's bidiagonal (docs/determinant.md), so neither value nor sign is compared.
          if ((stat === 'log_abs_det' || stat === 'det_sign') && other.log_abs_det_is_reliable === false) continue;
          if (typeof b === 'number' && !Number.isInteger(b)) {
            // kappa = sigma_max / sigma_min moves by sigma_min's error (within the floor) relative to it.
            const floor = other.accuracy_floor ?? 0;
            const tolerance = stat === 'condition_number' ? Math.abs(b) * Math.max(1e-9, 2 * floor / other.sigma_min)
              : Math.max(floor, 1e-9 * Math.abs(b));
            assert.ok(Math.abs(a - b) <= tolerance, `${where} head ${index} ${stat}: wasm ${a}, native ${b}`);
          } else {
            assert.equal(a, b, `${where} head ${index} ${stat}`);
          }
        }
      });
    } else {
      assert.deepEqual(wasm[key], cli[key], `${where}: ${key}`);
    }
  }
}
