// The pool's tasks without the pool (engine-client.mjs): priorities and timeouts, the errors it rejects
// with, the memory budget it puts into configs, and the queue's order. No workers, no DOM.

export const kDefaultCancelAfterMs = 500;
export const kPriorityInteractive = 0;  // call() and request()
export const kPriorityBackground = 1;   // sweep() configs
export const kPriorities = { interactive: kPriorityInteractive, background: kPriorityBackground };
// Generous: an n = 4096 analyze takes ~75 s on one core of a 2-core machine (n = 1024: ~1.2 s, times 64);
// the timeout is there for a request that will never finish, not to police slow ones.
export const kDefaultTimeoutMs = { interactive: 180_000, background: 300_000 };
// The methods whose config takes memory_budget_mib (the core refuses a request whose estimated peak
// exceeds it, code 'too_large', before allocating).
const kBudgetedMethods = new Set(['analyze', 'collapse', 'mixture', 'permutation', 'claims']);
// What a timed-out method's message tells the reader to lower (its cost grows fastest in these).
const kCostParameters = { analyze: 'n (or d, or the sweep\'s values)', collapse: 'n or the layers L',
  mixture: 'n or the heads H' };

export function engineError(message, code, extra = {}) {
  return Object.assign(new Error(message), { code }, extra);
}

// The pool's timeouts by priority index, [interactive, background], from the caller's { interactive,
// background } (either may be left out: its default stays); an unknown priority or a timeout that is not
// a positive number of ms is an invalid_argument.
export function timeoutsByPriority(timeoutMs) {
  const timeouts = { ...kDefaultTimeoutMs, ...timeoutMs };
  for (const [priority, ms] of Object.entries(timeouts)) {
    if (!Object.hasOwn(kPriorities, priority)) {
      throw engineError(`timeoutMs.${priority} is unknown (expected interactive, background)`, 'invalid_argument');
    }
    if (!(typeof ms === 'number' && ms > 0)) {
      throw engineError(`timeoutMs.${priority}=${ms} must be a number of ms > 0`, 'invalid_argument');
    }
  }
  return [timeouts.interactive, timeouts.background];
}

export function defaultSize() {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return Math.min(4, Math.max(2, cores));
}

// args with the budget put into a budgeted method's config that sets none (budget null: args as given).
export function withMemoryBudget(method, args, budgetMiB) {
  const [config, ...rest] = args;
  if (budgetMiB !== null && kBudgetedMethods.has(method) && config && typeof config === 'object' &&
      !Object.hasOwn(config, 'memory_budget_mib')) {
    return [{ ...config, memory_budget_mib: budgetMiB }, ...rest];
  }
  return args;
}

// The rejection of a task that ran past its priority's timeout (its worker was replaced).
export function timeoutError(task, timeoutMs) {
  const seconds = (performance.now() - task.startedAt) / 1000;
  const lower = kCostParameters[task.method] ?? 'the size of the request';
  return engineError(`${task.method} ran for ${seconds.toFixed(1)} s, longer than the ` +
    `${timeoutMs / 1000} s timeout, and was stopped (its worker was replaced): lower ${lower}`, 'timeout',
  { elapsedMs: seconds * 1000, timeoutMs });
}

// Takes the oldest queued task of the most urgent priority out of queue (null when it is empty).
export function takeNext(queue) {
  let best = -1;
  for (let index = 0; index < queue.length; ++index) {
    if (best < 0 || queue[index].priority < queue[best].priority) best = index;
  }
  return best < 0 ? null : queue.splice(best, 1)[0];
}

// A fresh Web Lock name for a worker to hold while it lives (engine-worker.mjs): the pool's request for it
// is granted the moment the worker dies, even silently (issue 16 item 9). Locks are shared by the origin's
// tabs, hence a random name. null where Web Locks are missing (not a secure context): the timeout remains.
let lockCount = 0;
export function deathWatchLock() {
  if (!globalThis.navigator?.locks) return null;
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
  lockCount += 1;
  return `attnrank-engine-worker-${random}-${lockCount}`;
}
