// What each lab chart draws, as LabChart specs (uplot-chart.mjs), from the runs and the words: the held-out
// metric of every configuration (mean line, min-max band over seeds) and, for one run, each rank statistic
// of every head against step (numerical rank at f64 solid and f32 dashed; sigma_min with its accuracy floor
// dashed, a point at the floor being a bound; kappa, a lower bound there). Numbers from curves-data.mjs.
import { formatTickValue } from '../render/canvas-util.mjs';
import { headSeries, metricBands } from './curves-data.mjs';

const kPalette = ['--series-1', '--series-2', '--series-3', '--series-4', '--series-5', '--series-6', '--series-7', '--series-8'];
export const colourOf = (index) => kPalette[index % kPalette.length];

// runs: the pool's runs ({ configuration, seed, records }); experiment: lab_experiments' entry.
export function curvesSpec(runs, experiment, { yLog }, text) {
  const bands = metricBands(runs, experiment.metric);
  const isLog = yLog && experiment.metric === 'heldout_loss';
  const lines = bands.map((band, index) => ({
    label: band.configuration, colour: colourOf(index), x: band.x, y: band.mean, band: { low: band.low, high: band.high },
  }));
  return {
    xLabel: text('lab.axis.step'), yLabel: text(`lab.metric.${experiment.metric}`), yLog: isLog, lines,
    readout: (step) => `${text('lab.step.value', { step })}: ${bands.map((band) => {
      const k = band.x.indexOf(step);
      if (k < 0) return `${band.configuration} –`;
      const spread = band.seeds[k] > 1 ? ` (${formatTickValue(band.low[k])}–${formatTickValue(band.high[k])})` : '';
      return `${band.configuration} ${formatTickValue(band.mean[k])}${spread}`;
    }).join('; ')}`,
  };
}

// The rank charts of one run: [{ id, title, spec }].
export function rankSpecs(records, text) {
  const label = (key) => (entry) => text(key, { layer: entry.layer, head: entry.head });
  const xLabel = text('lab.axis.step');
  const readoutOf = (lines) => (step) => `${text('lab.step.value', { step })}: ${lines.map((line) => {
    const k = line.x.indexOf(step);
    const bound = k >= 0 ? line.boundAt?.(k) : null;
    const value = k < 0 || line.y[k] === null ? '–' : bound ? `${bound.relation === 'upper' ? '≤' : '≥'} ${formatTickValue(bound.value)}` : formatTickValue(line.y[k]);
    return `${line.label} ${value}`;
  }).join('; ')}`;
  const chart = (id, title, yLabel, yLog, lines, yInteger = false) => ({ id, title,
    spec: { xLabel, yLabel, yLog, yInteger, lines, readout: readoutOf(lines) } });
  const perHead = (statistic, key = 'lab.rank.series', dash) => {
    const { x, perHead: heads } = headSeries(records, statistic);
    return heads.map((entry, index) => ({ label: label(key)(entry), colour: colourOf(index), x, y: entry.y, dash,
      boundAt: (k) => entry.bound[k] }));
  };
  return [
    chart('effective_rank', text('stat.effective_rank'), text('stat.effective_rank'), false, perHead('effective_rank')),
    chart('numerical_rank', text('lab.rank.numerical'), text('lab.rank.numerical_axis'), false,
      [...perHead('numerical_rank_f64'), ...perHead('numerical_rank_f32', 'lab.rank.series_f32', [4, 3])], true),
    chart('sigma_min', text('lab.rank.floor'), text('stat.sigma_min'), true,
      [...perHead('sigma_min'), ...perHead('accuracy_floor', 'lab.rank.series_floor', [2, 3])]),
    chart('condition_number', text('stat.condition_number'), text('stat.condition_number'), true, perHead('condition_number')),
  ];
}
