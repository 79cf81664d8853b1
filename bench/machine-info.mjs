// What a benchmark table must say about where and on what it was measured: date, CPU model and cores,
// load average (other builds on the machine make timings noisy), tool versions, and which source the
// numbers come from (git commit, whether the work tree had uncommitted changes, the wasm file's hash and
// time). Every probe is best-effort: a missing tool gives 'unknown', never an exception.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';

function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], ...options }).trim();
  } catch {
    return 'unknown';
  }
}

export function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    return line ? line.split(':')[1].trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function loadAverage() {
  return os.loadavg().map((value) => value.toFixed(2)).join(' ');
}

// The emscripten that `build-wasm.sh` uses on this machine (the wasm file itself records no version).
export function emscriptenVersion() {
  const first = run('emcc', ['--version'], { env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } }).split('\n')[0];
  const match = first.match(/\)\s+([0-9][0-9.]*)/);
  return match ? match[1] : first;
}

export function gitSource(root) {
  const commit = run('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
  const dirty = run('git', ['-C', root, 'status', '--porcelain', '--', 'src', 'CMakeLists.txt', 'bench']);
  return { commit, uncommittedChangesInSrc: dirty !== '' && dirty !== 'unknown' };
}

export function fileFingerprint(file) {
  try {
    const bytes = readFileSync(file);
    return {
      sha256: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
      bytes: bytes.length,
      modified: statSync(file).mtime.toISOString(),
    };
  } catch {
    return null;
  }
}

export function machine() {
  return { cpu: cpuModel(), cores: os.cpus().length, memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()}`, debian: run('cat', ['/etc/debian_version']) };
}
