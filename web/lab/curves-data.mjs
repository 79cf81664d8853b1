// The lab's figures' numbers, from the runs' checkpoint records (docs/result-schema.md lab_checkpoint) and
// nothing else: per configuration the metric at each step over its seeds (mean, min, max: the band), and
// per head of one run each rank statistic against step. Each result is a chart description (views/chart.mjs:
// { series: [{ label, x, y, boundAt? }], xLabel, yLabel, yLog }) that the uPlot charts draw and
// views/chart-description.mjs words, so what is drawn and what is told are the same numbers. Pure module.

// The steps of a set of record lists, ascending, each once.
function stepsOf(recordLists) {
  return [...new Set(recordLists.flatMap((records) => records.map((record) => record.step)))].sort((a, b) => a - b);
}

// runs: [{ configuration, seed, records }] (any order); metric: a record key ('heldout_loss').
// -> [{ configuration, x: steps, mean, low, high, seeds: count per step }], configurations in first-seen
// order; a step where no seed has a finite value is left out.
export function metricBands(runs, metric) {
  const byConfiguration = new Map();
  for (const run of runs) {
    if (!byConfiguration.has(run.configuration)) byConfiguration.set(run.configuration, []);
    byConfiguration.get(run.configuration).push(run.records);
  }
  return [...byConfiguration].map(([configuration, recordLists]) => {
    const out = { configuration, x: [], mean: [], low: [], high: [], seeds: [] };
    const lookups = recordLists.map((records) => new Map(records.map((record) => [record.step, record[metric]])));
    for (const step of stepsOf(recordLists)) {
      const values = lookups.map((lookup) => lookup.get(step)).filter((value) => Number.isFinite(value));
      if (values.length === 0) continue;
      out.x.push(step);
      out.mean.push(values.reduce((sum, value) => sum + value, 0) / values.length);
      out.low.push(Math.min(...values));
      out.high.push(Math.max(...values));
      out.seeds.push(values.length);
    }
    return out;
  });
}

// The heads of a run's records: [{ layer, head, pattern, attention }] in the records' order.
export function headsOf(records) {
  return (records[0]?.heads ?? []).map(({ layer, head, pattern, attention }) => ({ layer, head, pattern, attention }));
}

// One statistic of every head of one run against step: { x, perHead: [{ layer, head, y: [], bound: [] }] };
// bound[k] is the point's bound ({ relation: 'upper', value }) where the record says the value is one
// (sigma_min at or below the accuracy floor), else null.
export function headSeries(records, statistic) {
  const x = records.map((record) => record.step);
  const perHead = headsOf(records).map(({ layer, head }, index) => {
    const y = [];
    const bound = [];
    for (const record of records) {
      const entry = record.heads[index];
      const value = entry?.[statistic];
      y.push(Number.isFinite(value) ? value : null);
      const isBound = statistic === 'sigma_min' ? entry?.sigma_min_is_upper_bound
        : statistic === 'condition_number' ? entry?.condition_number_is_lower_bound : false;
      bound.push(isBound ? { relation: statistic === 'sigma_min' ? 'upper' : 'lower', value } : null);
    }
    return { layer, head, y, bound };
  });
  return { x, perHead };
}

// Aligns several series { x, y } on the union of their x (uPlot's data: [xs, ...ys], null where a
// series has no point).
export function alignSeries(series) {
  const xs = [...new Set(series.flatMap((line) => line.x))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, k) => [x, k]));
  const ys = series.map((line) => {
    const y = new Array(xs.length).fill(null);
    line.x.forEach((x, k) => { y[index.get(x)] = line.y[k] ?? null; });
    return y;
  });
  return [xs, ...ys];
}
