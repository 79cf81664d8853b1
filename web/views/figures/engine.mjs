// How a figure asks the engine, so one figure module serves both hosts. A figure gets an `engine`:
//   analyzeAll(configs, onProgress) -> analyze() results in the order of configs (one sweep),
//   request(part, method, ...args)  -> one call on the figure's slot (part: a sub-slot, or null),
//   call(method, ...args)           -> one call that owns no slot.
// The host decides slots, priority and reuse: the explorer's stages run at background priority on named
// slots and reuse the analyses an earlier stage computed for the same state (KnownResults); an embedded
// figure runs at interactive priority on its own slot.

// The key of an analyze() config (want_matrix left out: it only adds the matrix and mask).
export function configKey(config) {
  return JSON.stringify(Object.keys(config).filter((key) => key !== 'want_matrix').sort()
    .map((key) => [key, config[key]]));
}

// The analyses (results without matrix and mask) of one state, by config key.
export class KnownResults {
  #results = new Map();

  get(config) { return this.#results.get(configKey(config)); }

  remember(config, result) {
    const { matrix, mask, ...statistics } = result;
    this.#results.set(configKey(config), statistics);
  }
}

// The explorer's engine for stage `stage`: slots `stage` and `stage:part`; priority 'background' or
// 'interactive'; known: the state's KnownResults (analyses reused and remembered), or null.
export function stageEngine(pool, stage, { known = null, priority = 'background' } = {}) {
  const slotOf = (part) => (part === null ? stage : `${stage}:${part}`);
  return {
    // A background sweep of only the configs not known yet; onProgress(done, total) counts the known as done.
    async analyzeAll(configs, onProgress = () => {}) {
      const results = configs.map((config) => known?.get(config));
      const missing = [];
      results.forEach((result, index) => { if (!result) missing.push(index); });
      const knownCount = configs.length - missing.length;
      const fresh = await pool.sweep(stage, missing.map((index) => configs[index]),
        (done) => onProgress(knownCount + done, configs.length));
      fresh.forEach((result, position) => {
        results[missing[position]] = result;
        known?.remember(configs[missing[position]], result);
      });
      return results;
    },
    async request(part, method, ...args) {
      const result = await (priority === 'interactive' ? pool.request(slotOf(part), method, ...args)
        : pool.background(slotOf(part), method, ...args));
      if (method === 'analyze') known?.remember(args[0], result);
      return result;
    },
    call: (method, ...args) => pool.call(method, ...args),
  };
}

// An embedded figure's engine (context: { pool, slot }): interactive priority (background for a sweep
// figure, so its many analyses wait for every single figure of the page), the figure's own slot
// (sub-slots `slot:part`), so a newer run of the figure supersedes its older work.
export function figureEngine({ pool, slot }, { priority = 'interactive' } = {}) {
  return {
    analyzeAll: (configs, onProgress) => pool.sweep(slot, configs, onProgress, { priority }),
    request: (part, method, ...args) => pool.request(part === null ? slot : `${slot}:${part}`, method, ...args),
    call: (method, ...args) => pool.call(method, ...args),
  };
}
