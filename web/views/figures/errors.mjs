// What a figure does with an engine error, for the explorer and <attn-figure> alike: whether it is stale
// (superseded or cancelled: nobody waits for it), whether it is a failure of the engine rather than of a
// value (a crashed worker or a timeout: the pool has replaced the worker, so a retry runs on a fresh one),
// and the words the reader sees. Where an error is shown (beside a control, in a figure) is the host's.

export function isStale(error) {
  return error?.code === 'superseded' || error?.code === 'cancelled';
}

export function isEngineFailure(error) {
  return error?.code === 'worker_crashed' || error?.code === 'timeout';
}

// Engine failures in the reader's language (text(key, params)); the core's messages as they are.
export function errorText(error, text) {
  if (error?.code === 'worker_crashed') return text('engine.crashed');
  if (error?.code === 'timeout') {
    return text('engine.timeout', { seconds: Math.round(error.elapsedMs / 1000), limit: Math.round(error.timeoutMs / 1000) });
  }
  return error?.message ?? String(error);
}
