// Numbers quoted in the prose of README.md and docs/*.md, checked against the native CLI (issue 13, item 13):
// a quoted number must still be in its file, word for word, and must still be what the CLI computes, so a
// change in the core or a careless edit of the text fails here instead of misinforming a reader.
//
// Three mechanisms, one table each:
//   QUOTES      (file, exact quoted text, the number as written in it, how to compute it from CLI output,
//               how to compare). The written number's significant digits set the rounding: "3.4e-14"
//               passes for any computed value that rounds to 3.4e-14 at 2 significant digits.
//   TRANSCRIPTS every fenced block of README.md that starts with "$ attnrank ..." (the "real output"
//               examples) is run; each of its lines must appear in the CLI's output, in order ("..." in a
//               line stands for omitted text).
//   TABLES      the default-seed collapse tables of docs/depth.md, cell by cell.
// Not covered, on purpose: timings (README "Benchmarks", docs/claims.md "Cost", docs/svd-choice.md, the
// wasm memory table of docs/memory.md) are dated measurements, not computed values; numbers from outside
// (papers, the 100-digit check, claims.md's quick check) are quoted with their source, and the 100-digit
// condition numbers are checked only for consistency with the CLI's own lower bound.
//
// The CLI: build/native/attnrank (scripts/test.sh builds it before node --test), or $ATTNRANK_CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cliPath = process.env.ATTNRANK_CLI ?? `${root}build/native/attnrank`;

// ---- Running the CLI: each distinct command once per test run.

const runs = new Map();
function cli(args) {
  const key = args.join('\u0000');
  if (!runs.has(key)) {
    runs.set(key, new Promise((resolve) => {
      // In a scratch folder: a transcript's --out file must not land in the repository.
      const cwd = mkdtempSync(join(tmpdir(), 'attnrank-prose-'));
      execFile(cliPath, args, { maxBuffer: 64 << 20, cwd }, (error, stdout, stderr) => {
        resolve({ code: error ? error.code ?? 1 : 0, stdout, stderr });
      });
    }));
  }
  return runs.get(key);
}
async function json(...args) {
  const { code, stdout, stderr } = await cli([...args, '--json']);
  assert.equal(code, 0, `attnrank ${args.join(' ')} --json failed: ${stderr}`);
  return JSON.parse(stdout);
}
const split = (text) => text.split(/\s+/).filter(Boolean);
const stats = (args) => json('stats', ...split(args));
const run = (result, pattern, variant) => {
  const found = result.runs.find((r) => r.pattern === pattern && r.variant === variant);
  assert.ok(found, `no run ${pattern} ${variant}`);
  return found;
};
const collapse = (args) => json('collapse', ...split(args));
const residual = async (args, pattern, variant, layer, metric = 'relative_residual') =>
  run(await collapse(args), pattern, variant)[metric][layer];
const seeds = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const min = (values) => Math.min(...values);
const max = (values) => Math.max(...values);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
// claims.md's C4 scan: the first scale on s = 0.25 * 2^(k/8), k = 0..32, where the causal matrix of seed S
// (n = 64, d = 8) is numerically rank deficient (r_f64 < n).
const scanScales = Array.from({ length: 33 }, (_, k) => 0.25 * 2 ** (k / 8));
async function firstFailingScale(seed) {
  const result = await json('sweep', '--over', 'scale', '--values', scanScales.join(','), '--patterns', 'forward',
    '--n', '64', '--d', '8', '--seed', String(seed));
  const failing = result.results.find((r) => r.numerical_rank_f64 < 64);
  assert.ok(failing, `seed ${seed} never fails`);
  return failing.scale;
}
const logFactorial = (n) => seeds(1, n).reduce((sum, i) => sum + Math.log(i), 0);
// ---- Comparing a computed value with the number as written.

function significantDigits(written) {
  const mantissa = written.replace(/^[-+~]/, '').split(/e/i)[0].replace('.', '').replace(/^0+/, '');
  return Math.max(1, mantissa.length);
}
// round: the computed value rounded to the written number's significant digits equals it.
// rounding: both are rounding noise (below 1e-13; the value is a relative quantity), not a digit to keep.
// upper: the written value is an upper bound the computed value must not exceed; above: the computed value
// must exceed it ("over 130 cases").
function compare(kind, written, computed) {
  const number = Number(written.replace(/^~/, ''));
  assert.ok(Number.isFinite(number), `not a number: ${written}`);
  assert.ok(Number.isFinite(computed), `computed ${computed}`);
  if (kind === 'round') {
    const rounded = Number(computed.toPrecision(significantDigits(written)));
    return { ok: rounded === number, detail: `computed ${computed} rounds to ${rounded}` };
  }
  if (kind === 'rounding') return { ok: computed < 1e-13 && number < 1e-13, detail: `computed ${computed}` };
  if (kind === 'upper') return { ok: computed <= number, detail: `computed ${computed}` };
  if (kind === 'above') return { ok: computed > number, detail: `computed ${computed}` };
  throw new Error(`unknown comparison ${kind}`);
}

// ---- The quoted numbers: [file, quoted text, number as written in it, value(), comparison].

const C120 = '--patterns bidirectional,forward --variants skip,skip+layernorm,skip+mlp+layernorm --layers 120';
const C64 = '--patterns bidirectional,forward --variants skip --d-model 64 --layers 128';
const C24 = '--patterns bidirectional,forward --variants pure --layers 24';
const C12 = '--patterns bidirectional,forward,forward_backward,window --variants pure,skip';
const randomPath = (pattern) => Promise.all(seeds(0, 2).map((s) =>
  residual(`--patterns ${pattern} --variants pure --seed ${s}`, pattern, 'pure', 12, 'random_path_residual')));
const trueKappaConsistent = async (seedList, scale) => {
  // 100-digit kappa values are above 1 / (n eps): the CLI must flag its value as a lower bound.
  const results = await Promise.all(seedList.map((s) => stats(`--pattern forward --n 64 --d 8 --seed ${s} --scale ${scale}`)));
  for (const r of results) assert.equal(r.condition_number_is_lower_bound, true);
  return max(results.map((r) => r.condition_number));
};
const kappaAt = async (scale, pick) => pick(await Promise.all(seeds(0, 5).map(async (s) =>
  (await stats(`--pattern forward --n 64 --d 8 --seed ${s} --scale ${scale}`)).condition_number)));

const QUOTES = [
  // README: the collapse example and what skip connections do.
  ['README.md', 'causal attention only to 3.1e-3', '3.1e-3', () => residual(C12, 'forward', 'pure', 12)],
  ['README.md', 'copies token 0: distance\n0.02)', '0.02', () => residual(C12, 'forward', 'pure', 12, 'path_distance_to_token0')],
  ['README.md', 'with skip is 3.4e-14', '3.4e-14', () => residual(C120, 'bidirectional', 'skip', 120)],
  ['README.md', 'it is 9.4e-3 after 24 layers', '9.4e-3', () => residual(C64, 'bidirectional', 'skip', 24)],
  ['README.md', 'det = e^-235 > 0', '-235', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7')).log_abs_det],
  ['README.md', 'numerical rank 63 of 64', '63', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7')).numerical_rank_f64],
  ["README.md", "three are below single precision's (61)", '61', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7')).numerical_rank_f32],
  ['README.md', "C4's floating-point half flips between scale 0.25 and 4", '4', () => firstFailingScale(7), 'upper'],
  ['README.md', "C4's floating-point half flips between scale 0.25 and 4", '0.25', () => firstFailingScale(7), 'above'],
  ['README.md', '`tests/fixtures/bad-inputs.json` (over 130 cases)', '130', async () =>
    JSON.parse(readFileSync(`${root}tests/fixtures/bad-inputs.json`, 'utf8')).length, 'above'],
  // docs/depth.md
  ['docs/depth.md', 'bidirectional residual of\n9.4e-3 at 24 layers', '9.4e-3', () => residual(C64, 'bidirectional', 'skip', 24)],
  ['docs/depth.md', 'and 2.8e-6 at 48', '2.8e-6', () => residual(C64, 'bidirectional', 'skip', 48)],
  ['docs/depth.md', 'for layers 2 to 5, 0.54, 1.8e-2, 5.0e-9, 1.4e-16 bidirectional', '0.54', () => residual(C24, 'bidirectional', 'pure', 2)],
  ['docs/depth.md', 'for layers 2 to 5, 0.54, 1.8e-2, 5.0e-9, 1.4e-16 bidirectional', '1.8e-2', () => residual(C24, 'bidirectional', 'pure', 3)],
  ['docs/depth.md', 'for layers 2 to 5, 0.54, 1.8e-2, 5.0e-9, 1.4e-16 bidirectional', '5.0e-9', () => residual(C24, 'bidirectional', 'pure', 4)],
  ['docs/depth.md', 'for layers 2 to 5, 0.54, 1.8e-2, 5.0e-9, 1.4e-16 bidirectional', '1.4e-16', () => residual(C24, 'bidirectional', 'pure', 5), 'rounding'],
  ...[['6.6', 2, 3], ['4.8', 3, 4]].map(([written, from, to]) => ['docs/depth.md',
    'exponent multiplies, by 6.6 and then 4.8, until rounding level stops it', written, async () =>
      Math.log(await residual(C24, 'bidirectional', 'pure', to)) / Math.log(await residual(C24, 'bidirectional', 'pure', from))]),
  ['docs/depth.md', 'against 0.83, 0.76, 0.44, 0.30 forward', '0.83', () => residual(C24, 'forward', 'pure', 2)],
  ['docs/depth.md', 'against 0.83, 0.76, 0.44, 0.30 forward', '0.76', () => residual(C24, 'forward', 'pure', 3)],
  ['docs/depth.md', 'against 0.83, 0.76, 0.44, 0.30 forward', '0.44', () => residual(C24, 'forward', 'pure', 4)],
  ['docs/depth.md', 'against 0.83, 0.76, 0.44, 0.30 forward', '0.30', () => residual(C24, 'forward', 'pure', 5)],
  ['docs/depth.md', '(3.1e-3 at 12 layers, 6.0e-7 at 24)', '3.1e-3', () => residual(C24, 'forward', 'pure', 12)],
  ['docs/depth.md', '(3.1e-3 at 12 layers, 6.0e-7 at 24)', '6.0e-7', () => residual(C24, 'forward', 'pure', 24)],
  ['docs/depth.md', 'seeds 0-2 give 8.2e-10 .. 1.62e-9', '8.2e-10', async () => min(await randomPath('bidirectional'))],
  ['docs/depth.md', 'seeds 0-2 give 8.2e-10 .. 1.62e-9', '1.62e-9', async () => max(await randomPath('bidirectional'))],
  ['docs/depth.md', '2.0e-4 .. 3.1e-4,', '2.0e-4', async () => min(await randomPath('forward_backward'))],
  ['docs/depth.md', '2.0e-4 .. 3.1e-4,', '3.1e-4', async () => max(await randomPath('forward_backward'))],
  ['docs/depth.md', '2.3e-3 .. 8.1e-3, 0.820 .. 0.822', '2.3e-3', async () => min(await randomPath('forward'))],
  ['docs/depth.md', '2.3e-3 .. 8.1e-3, 0.820 .. 0.822', '8.1e-3', async () => max(await randomPath('forward'))],
  ['docs/depth.md', '2.3e-3 .. 8.1e-3, 0.820 .. 0.822', '0.820', async () => min(await randomPath('window'))],
  ['docs/depth.md', '2.3e-3 .. 8.1e-3, 0.820 .. 0.822', '0.822', async () => max(await randomPath('window'))],
  ['docs/depth.md', 'n_out = 2 gives parameters 316 / 316 / 728', '728', async () =>
    (await json('arch', ...split('--d-model 4 --layers 2 --heads 2 --d-ff 8 --vocab 10 --n-in 3 --n-out 2'))).architectures[2].parameters],
  ['docs/depth.md', 'FLOPs 2528 / 2624 / 3936', '3936', async () =>
    (await json('arch', ...split('--d-model 4 --layers 2 --heads 2 --d-ff 8 --vocab 10 --n-in 3 --n-out 2'))).architectures[2].flops],
  ['docs/depth.md', 'FLOPs 2528 / 2624 / 3936', '2624', async () =>
    (await json('arch', ...split('--d-model 4 --layers 2 --heads 2 --d-ff 8 --vocab 10 --n-in 3 --n-out 2'))).architectures[1].flops],
  ...[['prefix', '1.72 (0.73)'], ['forward', '2.62 (1.05)'], ['backward', '2.84 (1.11)'], ['window', '4.17 (1.52)'],
    ['forward_window', '4.68 (1.68)']].flatMap(([pattern, text]) => {
    const [absolute, relative] = text.match(/[0-9.]+/g);
    const permutation = async () => (await json('permutation')).results.find((r) => r.pattern === pattern);
    return [['docs/depth.md', `${pattern} ${text}`, absolute, async () => (await permutation()).max_deviation],
      ['docs/depth.md', `${pattern} ${text}`, relative, async () => (await permutation()).relative_deviation]];
  }),
  ['docs/depth.md', 'bidirectional max deviation 1.8e-15', '1.8e-15', async () =>
    (await json('permutation')).results.find((r) => r.pattern === 'bidirectional').relative_deviation, 'rounding'],
  // docs/claims.md: depth, C4's flip and conditioning, C14, C17.
  ['docs/claims.md', 'the residual is 3.4e-14 with skip', '3.4e-14', () => residual(C120, 'bidirectional', 'skip', 120)],
  ['docs/claims.md', '1.4e-15 with skip+layernorm', '1.4e-15', () => residual(C120, 'bidirectional', 'skip+layernorm', 120), 'rounding'],
  ['docs/claims.md', '2.2e-16 with skip+mlp+layernorm', '2.2e-16', () => residual(C120, 'bidirectional', 'skip+mlp+layernorm', 120), 'rounding'],
  ['docs/claims.md', 'it is 9.4e-3 at 24 layers', '9.4e-3', () => residual(C64, 'bidirectional', 'skip', 24)],
  ['docs/claims.md', 'and 2.8e-6 at 48 (docs/depth.md)', '2.8e-6', () => residual(C64, 'bidirectional', 'skip', 48)],
  ['docs/claims.md', 'The first failing s ranges from 0.71 to 1.30', '0.71', async () => min(await Promise.all(seeds(0, 59).map(firstFailingScale)))],
  ['docs/claims.md', 'The first failing s ranges from 0.71 to 1.30', '1.30', async () => max(await Promise.all(seeds(0, 59).map(firstFailingScale)))],
  ['docs/claims.md', '(median 0.92)', '0.92', async () => median(await Promise.all(seeds(0, 59).map(firstFailingScale)))],
  ['docs/claims.md', 'holds at s = 0.841, fails at s = 0.917', '0.917', () => firstFailingScale(7)],
  ['docs/claims.md', 'holds at s = 0.841, fails at s = 0.917', '0.841', async () =>
    scanScales[scanScales.indexOf(await firstFailingScale(7)) - 1]],
  ['docs/claims.md', 'at s = 1\nr_f64 = 63', '63', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7')).numerical_rank_f64],
  ['docs/claims.md', 'at s = 4 r_f64 = 61, r_f32 = 55', '61', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7 --scale 4')).numerical_rank_f64],
  ['docs/claims.md', 'at s = 4 r_f64 = 61, r_f32 = 55', '55', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7 --scale 4')).numerical_rank_f32],
  ['docs/claims.md', 'kappa >= 7.0e13 (the lower bound', '7.0e13', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7 --scale 4')).condition_number],
  ['docs/claims.md', 'log|det| = sum log A_ii = -513.4', '-513.4', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7 --scale 4')).log_abs_det],
  ['docs/claims.md', '1 / (n eps) = 7.0e13 at n = 64', '7.0e13', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7')).condition_number],
  ['docs/claims.md', '| 0.5 | 4.5e5 to 1.9e8 |', '4.5e5', () => kappaAt(0.5, min)],
  ['docs/claims.md', '| 0.5 | 4.5e5 to 1.9e8 |', '1.9e8', () => kappaAt(0.5, max)],
  ['docs/claims.md', '| 1.23 to 1.35 |', '1.23', async () => (await kappaAt(0.5, min)) ** (1 / 64)],
  ['docs/claims.md', '| 1.23 to 1.35 |', '1.35', async () => (await kappaAt(0.5, max)) ** (1 / 64)],
  ['docs/claims.md', '| 1 | 3.1e14 to 5.3e18 (seed 7: 1.01e16) |', '3.1e14', () => trueKappaConsistent(seeds(0, 5), 1), 'upper'],
  ['docs/claims.md', '| 1 | 3.1e14 to 5.3e18 (seed 7: 1.01e16) |', '1.01e16', () => trueKappaConsistent([7], 1), 'upper'],
  ['docs/claims.md', '| 4 | 9.5e69 to 2.3e86 |', '9.5e69', () => trueKappaConsistent(seeds(0, 5), 4), 'upper'],
  ['docs/claims.md', 'seed 7 has log|det| = -206.8 at s = 0.25', '-206.8', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7 --scale 0.25')).log_abs_det],
  ['docs/claims.md', 'against log(1/64!) = -205.2', '-205.2', async () => -logFactorial(64)],
  ['docs/claims.md', 'but -235.2 at s = 1 and -513.4 at s = 4', '-235.2', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7')).log_abs_det],
  ['docs/claims.md', 'yet kappa_2 = 191 at\nn = 64 (C17)', '191', async () => (await stats('--pattern forward --n 64 --d 8 --seed 7 --scale 0')).condition_number],
  ['docs/claims.md', 'has det = 1/n! exactly yet kappa_2 = 191 at n = 64, computed by the core', '191', async () =>
    (await stats('--pattern forward --n 64 --d 8 --seed 7 --scale 0')).condition_number],
  // Plain arithmetic, checked in JS (IEEE double, and float through Math.fround).
  ['docs/claims.md', '1/n! is 0 in double at n = 171, where n! overflows', '171', async () => {
    let factorial = 1;
    for (let i = 1; ; i += 1) if (!Number.isFinite((factorial *= i)) && 1 / factorial === 0) return i;
  }],
  ['docs/claims.md', 'the running product of 1/i at n = 178 in double, n = 39 in float', '178', async () => {
    let product = 1;
    for (let i = 1; ; i += 1) if ((product *= 1 / i) === 0) return i;
  }],
  ['docs/claims.md', 'the running product of 1/i at n = 178 in double, n = 39 in float', '39', async () => {
    let product = 1;
    for (let i = 1; ; i += 1) if ((product = Math.fround(product * Math.fround(1 / i))) === 0) return i;
  }],
  ...[['1.11', 64], ['1.18', 512], ['1.34', 2048]].map(([written, nIn]) => ['docs/claims.md',
    '(1.11 at n = 64, 1.18 at n = 512, 1.34 at n = 2048: fails)', written, async () => {
      const { architectures } = await json('arch', '--n-in', String(nIn));
      const perToken = architectures.map((a) => a.flops_per_token);
      return max(perToken) / min(perToken);
    }]),
];

// ---- Memory messages quoted in README.md and docs/memory.md: the CLI's own refusal, word for word.
const MESSAGES = [
  ['README.md', ['stats', '--pattern', 'forward', '--n', '2048', '--d', '8', '--memory-limit', '64'],
    'n=2048, d=8 (softmax, f64) needs ~73 MiB, over the memory budget of 64 MiB: lower n'],
  ['docs/memory.md', ['stats', '--pattern', 'forward', '--n', '2048', '--d', '8', '--memory-limit', '64'],
    'n=2048, d=8 (softmax, f64) needs ~73 MiB, over the memory budget of 64 MiB: lower n'],
  ['docs/memory.md', ['collapse', '--n', '1024', '--d-model', '8', '--patterns', 'forward', '--variants', 'mlp', '--layers', '2', '--memory-limit', '8'],
    'collapse n=1024, d_model=8, d_ff=32 needs ~62 MiB, over the memory budget of 8 MiB: lower n, d_model or d_ff'],
  ['docs/web-architecture.md', ['stats', '--pattern', 'bidirectional', '--n', '4096', '--d', '1024', '--precision',
    'f32', '--memory-limit', '512'],
    'n=4096, d=1024 (softmax, f32) needs ~690 MiB, over the memory budget of 512 MiB: lower n'],
  ['docs/memory.md', ['permutation', '--n', '4096', '--d-model', '4096'],
    'permutation n=4096, d_model=4096 needs ~2034 MiB, over the memory budget of 1024 MiB: lower n or d_model'],
];

const text = new Map();
function fileText(file) {
  if (!text.has(file)) text.set(file, readFileSync(`${root}${file}`, 'utf8'));
  return text.get(file);
}
// Quotes may break lines where the file does: compare with runs of whitespace collapsed.
const squash = (s) => s.replace(/\s+/g, ' ');

test('the native CLI exists (scripts/test.sh builds it first)', () => {
  assert.ok(existsSync(cliPath), `no CLI at ${cliPath}: build it (cmake --build build/native) or set ATTNRANK_CLI`);
});

test('every quoted number is still in its file and still what the CLI computes', async () => {
  const failures = [];
  await Promise.all(QUOTES.map(async ([file, quote, written, value, kind = 'round']) => {
    if (!squash(fileText(file)).includes(squash(quote))) {
      failures.push(`${file}: quoted text not found: "${quote}"`);
      return;
    }
    if (!squash(quote).includes(written)) failures.push(`${file}: "${written}" is not in its quote "${quote}"`);
    const { ok, detail } = compare(kind, written, await value());
    if (!ok) failures.push(`${file}: "${quote}": written ${written}, ${detail} (${kind})`);
  }));
  assert.deepEqual(failures, []);
});

test('memory refusals quoted in the docs are the CLI\'s messages', async () => {
  for (const [file, args, message] of MESSAGES) {
    assert.ok(squash(fileText(file)).includes(message), `${file}: message not found: ${message}`);
    const { code, stderr } = await cli(args);
    assert.equal(code, 2, `attnrank ${args.join(' ')}`);
    assert.equal(stderr.trim(), `attnrank: ${message}`);
  }
});

// ---- README transcripts.
function transcripts(markdown) {
  const blocks = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1].split('\n'));
  return blocks.filter((lines) => lines[0].startsWith('$ attnrank ')).map((lines) => {
    const [command, grep] = lines[0].slice('$ attnrank '.length).split(' | grep ');
    return { command, grep, expected: lines.slice(1).filter((line) => line.trim() !== '') };
  });
}
// A line with "..." matches an output line holding its pieces in order (the first at the start).
function lineMatches(expected, actual) {
  const pieces = expected.trimEnd().split('...');
  if (pieces.length === 1) return expected.trimEnd() === actual.trimEnd();
  let at = 0;
  for (const [i, piece] of pieces.entries()) {
    const found = actual.indexOf(piece, at);
    if (found < 0 || (i === 0 && found !== 0)) return false;
    at = found + piece.length;
  }
  return true;
}

test('README transcripts ("$ attnrank ..." blocks) are the CLI\'s real output', async () => {
  const found = transcripts(fileText('README.md'));
  assert.ok(found.length >= 4, `only ${found.length} transcripts found`);
  for (const { command, grep, expected } of found) {
    const { code, stdout, stderr } = await cli(split(command));
    assert.equal(code, 0, `attnrank ${command}: ${stderr}`);
    // What a reader sees in the terminal: stdout, then stderr (train's progress lines).
    let actual = [...stdout.split('\n'), ...stderr.split('\n')];
    if (grep) actual = actual.filter((line) => line.includes(grep.trim()));
    let at = 0;
    for (const line of expected) {
      while (at < actual.length && !lineMatches(line, actual[at])) at += 1;
      assert.ok(at < actual.length, `attnrank ${command}: line not in the output (or out of order):\n${line}\n` +
        `output:\n${actual.join('\n')}`);
      at += 1;
    }
  }
});

// ---- docs/depth.md's default-seed tables (n = 64, d_model = 8, 12 layers, scale 1, seed 0).
function tableAfter(markdown, header) {
  const start = markdown.indexOf(header);
  assert.ok(start >= 0, `table not found: ${header}`);
  const lines = markdown.slice(start).split('\n');
  const rows = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((cell) => cell.trim()));
  }
  return { columns: header.split('|').slice(1, -1).map((c) => c.trim()), rows };
}
const patternOf = (cell) => cell.split(' ')[0];

test('docs/depth.md default-seed tables are the CLI\'s numbers', async () => {
  const depth = fileText('docs/depth.md');
  const variants = 'pure,skip,mlp,layernorm,skip+mlp,skip+layernorm,mlp+layernorm,skip+mlp+layernorm';
  const patterns = 'bidirectional,prefix,forward,backward,forward_backward,window,forward_window';
  const all = await collapse(`--patterns ${patterns} --variants ${variants}`);
  const failures = [];
  const check = (where, written, computed) => {
    const kind = Number(written) < 1e-13 ? 'rounding' : 'round';
    const { ok, detail } = compare(kind, written, computed);
    if (!ok) failures.push(`${where}: written ${written}, ${detail}`);
  };
  const residuals = tableAfter(depth, '| pattern | pure | skip | mlp | layernorm | skip+mlp | skip+layernorm | mlp+layernorm | skip+mlp+layernorm |');
  assert.equal(residuals.rows.length, 7);
  for (const [name, ...cells] of residuals.rows) {
    cells.forEach((cell, i) => check(`r_12 ${name} ${residuals.columns[i + 1]}`, cell,
      run(all, patternOf(name), residuals.columns[i + 1]).relative_residual[12]));
  }
  const paths = tableAfter(depth, '| pattern | path_residual | path_distance_to_token0 | random_path_residual | random_path_distance_to_token0 |');
  assert.equal(paths.rows.length, 7);
  for (const [name, ...cells] of paths.rows) {
    cells.forEach((cell, i) => check(`${paths.columns[i + 1]} ${name}`, cell,
      run(all, patternOf(name), 'pure')[paths.columns[i + 1]][12]));
  }
  const skips = tableAfter(depth, '| pattern | variant | L = 12 | L = 24 | L = 48 | L = 120 |');
  assert.equal(skips.rows.length, 6);
  const long = await collapse(C120);
  for (const [pattern, variant, ...cells] of skips.rows) {
    [12, 24, 48, 120].forEach((layer, i) => check(`${pattern} ${variant} L = ${layer}`, cells[i],
      run(long, pattern, variant).relative_residual[layer]));
  }
  assert.deepEqual(failures, []);
});

// ---- Parameter ranges quoted in README.md: `attnrank limits` (one table in the core, param_ranges.h).
test('parameter ranges quoted in README.md are the CLI\'s limits', async () => {
  const { code, stdout } = await cli(['limits']);
  assert.equal(code, 0);
  const limits = new Map(stdout.trim().split('\n').map((line) => {
    const [name, low, high] = line.split(/\s+/);
    return [name, `${low}..${high}`];
  }));
  const readme = fileText('README.md');
  const quoted = [];
  // "n 1..4096", "`d_model` 1 .. 65536" in prose; "| n | tokens (`n`) | 1 .. 4096 |" in the range table.
  for (const m of readme.matchAll(/`?\b([a-z_]+)`? (\d+) ?\.\. ?(\d+)/g)) quoted.push([m[1], `${m[2]}..${m[3]}`, m[0]]);
  for (const m of readme.matchAll(/^\| \S+ \| [^|]*?\(`([a-z_]+)`[^|]*\| (\d+) \.\. (\d+)/gm)) {
    quoted.push([m[1], `${m[2]}..${m[3]}`, m[0]]);
  }
  const checked = quoted.filter(([name]) => limits.has(name));
  assert.ok(checked.length >= 15, `only ${checked.length} ranges found`);
  for (const [name, range, where] of checked) assert.equal(range, limits.get(name), `README: "${where}"`);
});
