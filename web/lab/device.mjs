// How many lab workers this device runs at once, and whether a training asks for a warning before it starts
// (issue 18 item 1). Each run trains in its own worker on one core; the main thread mostly waits, so the pool
// takes every core the browser reports, up to the number of runs and kMaxWorkers, and no more workers than
// fit in the device's memory at the runs' estimated size (lab_start's memory_bytes). A small device
// (few cores or little memory, as the browser reports them: navigator.hardwareConcurrency, deviceMemory in
// GiB where the browser has it) gets a warning before a training estimated to take longer than
// kLongSeconds; any device gets one before a training longer than kVeryLongSeconds (a Rerun of the long
// runs, 20,000 steps each, takes hours even on a desktop). Pure functions: the page passes navigator's numbers.

const kMaxWorkers = 8;
const kSmallCores = 4;
const kSmallMemoryGiB = 4;
// Workers may use at most this share of the device's memory (the page, the browser and the OS need the rest).
const kMemoryShare = 0.25;
export const kLongSeconds = 120;
export const kVeryLongSeconds = 15 * 60;

// device: { hardwareConcurrency, deviceMemory } (either may be undefined); runs: the number of runs;
// runBytes: one run's estimated memory (0 when unknown).
export function poolSize(device, runs, runBytes = 0) {
  const cores = Number.isInteger(device.hardwareConcurrency) && device.hardwareConcurrency > 0 ? device.hardwareConcurrency : 2;
  let size = Math.min(cores, kMaxWorkers, Math.max(1, runs));
  if (runBytes > 0 && Number.isFinite(device.deviceMemory) && device.deviceMemory > 0) {
    size = Math.min(size, Math.max(1, Math.floor((device.deviceMemory * 2 ** 30 * kMemoryShare) / runBytes)));
  }
  return size;
}

export function isSmallDevice(device) {
  const cores = device.hardwareConcurrency;
  return (Number.isInteger(cores) && cores <= kSmallCores) || (Number.isFinite(device.deviceMemory) && device.deviceMemory <= kSmallMemoryGiB);
}

// Seconds the whole training takes: every run's steps at the measured seconds per step, spread over the pool.
export function estimatedSeconds(runSteps, secondsPerStep, size) {
  const total = runSteps.reduce((sum, steps) => sum + steps, 0) * secondsPerStep;
  return total / Math.max(1, Math.min(size, runSteps.length));
}

export function needsWarning(device, seconds) {
  return seconds > kVeryLongSeconds || (isSmallDevice(device) && seconds > kLongSeconds);
}
