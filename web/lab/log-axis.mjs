// The lab charts' log axes (uplot-chart.mjs): their ticks and their range. Pure module.

// A log axis's ticks: at most this many (uPlot's own mark 2..9 x every decade, a dense stripe over many
// decades, and a range of less than a decade gets one tick or none).
const kMaxLogTicks = 6;
const kLogMultiples = [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]];

// Evenly spaced ticks over [min, max] at a 1-2-5 step, 3 to 6 of them: a log axis narrower than its
// 1..9 multiples can mark (a loss between 3.9 and 4.6).
function evenTicks(min, max) {
  const raw = (max - min) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= raw) * magnitude;
  const ticks = [];
  for (let value = Math.ceil(min / step) * step; value <= max * (1 + 1e-12); value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

// Ticks of a log axis over [min, max]: whole decades (every k-th when there are many), or where fewer than
// three decades fall inside, 1-2-5 (then 1..9) multiples of them, or evenly spaced ticks.
export function logSplits(min, max) {
  if (!(min > 0) || !(max >= min)) return [];
  const low = Math.floor(Math.log10(min));
  const high = Math.ceil(Math.log10(max));
  for (const multiples of kLogMultiples) {
    const ticks = [];
    for (let k = low; k <= high; ++k) {
      for (const m of multiples) {
        const value = Number((m * 10 ** k).toPrecision(12));
        if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) ticks.push(value);
      }
    }
    if (ticks.length >= 3) {
      const step = Math.max(1, Math.ceil(ticks.length / kMaxLogTicks));
      return ticks.filter((value, index) => (ticks.length - 1 - index) % step === 0);
    }
  }
  return max > min ? evenTicks(min, max) : [min];
}

// A log axis's range: the data's, widened by 5% each way (uPlot's own snaps to whole decades, which leaves a
// loss curve between 4.1 and 4.4 in a tenth of the height).
export function logRange(plot, min, max) {
  if (!(min > 0) || !(max > 0)) return [1, 10];
  return min === max ? [min / 2, max * 2] : [min / 1.05, max * 1.05];
}
