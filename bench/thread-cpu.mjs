// CPU time of the threads of a browser this node process started (Linux /proc; best-effort: elsewhere every
// probe returns null, never throws). For bench/chromium-bench.mjs: the engine worker's thread ('DedicatedWorker'
// in Chromium's renderer) and its renderer's main thread, so a timing on a shared machine comes with the CPU it
// took (wall time counts the waits for a core; CPU time mostly does not), and their nice values (is the worker
// run at a lower priority?). Times from /proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU.
import { readFileSync, readdirSync } from 'node:fs';

const read = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

// The fields of a /proc stat line after the command name (which may hold spaces and parentheses).
function statFields(text) {
  return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
}

// The pids of every process below `root` (its children, theirs, ...).
function descendants(root) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const parentOf = new Map();
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`);
    if (stat) parentOf.set(pid, statFields(stat)[1]);
  }
  const found = new Set([String(root)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parentOf) {
      if (found.has(parent) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(String(root));
  return [...found];
}

// Every thread of the processes below this one: { pid, tid, name, nice, cpuNs }.
export function childThreads(root = process.pid) {
  const threads = [];
  for (const pid of descendants(root)) {
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      const schedstat = read(`/proc/${pid}/task/${tid}/schedstat`);
      if (!stat || !schedstat) continue;
      threads.push({ pid, tid, name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        nice: Number(statFields(stat)[16]), cpuNs: Number(schedstat.split(' ')[0]) });
    }
  }
  return threads;
}

// The only dedicated worker thread of the browser and its renderer's main thread ({ worker, main }: { pid, tid,
// name, nice, cpuNs } each), or null when there is not exactly one (another platform, or more workers).
export function workerThreads(threads = childThreads()) {
  const workers = threads.filter((thread) => thread.name === 'DedicatedWorker');
  if (workers.length !== 1) return null;
  const [worker] = workers;
  const main = threads.find((thread) => thread.tid === worker.pid) ?? null;
  return main ? { worker, main } : null;
}

// The CPU ns of these threads now ({ worker, main }), or null when one has gone.
export function cpuNow({ worker, main }) {
  const ns = (thread) => {
    const schedstat = read(`/proc/${thread.pid}/task/${thread.tid}/schedstat`);
    return schedstat ? Number(schedstat.split(' ')[0]) : null;
  };
  const now = { worker: ns(worker), main: ns(main) };
  return now.worker === null || now.main === null ? null : now;
}
