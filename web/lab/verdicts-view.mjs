// The claims' live verdicts of the lab's runs (issue 18 item 4): the core decides them (lab_verdicts: each
// run's last record, bands over at least 3 complete seeds, overlap = inconclusive) and words them in English
// and Chinese; this view shows, for the experiment that ran, each claim it tests with the core's sentence
// and, behind a disclosure, every comparison with its numbers. verdictRecordsJsonl() is the core's input:
// the runs' records as JSONL, without the heads (the verdicts read none of them). Drawing only.

const kVerdictKeys = ['task', 'config', 'seed', 'step', 'steps', 'heldout_loss', 'heldout_accuracy', 'baseline'];

// runs: [{ records }] -> JSONL text of every record's verdict keys.
export function verdictRecordsJsonl(runs) {
  return runs.flatMap((run) => run.records.map((record) => JSON.stringify(Object.fromEntries(kVerdictKeys.map((key) => [key, record[key]]))))).join('\n');
}

function item(document, className, verdict, words) {
  const entry = document.createElement('li');
  entry.className = className;
  entry.dataset.verdict = verdict;
  entry.textContent = words;
  return entry;
}

export class VerdictsView {
  #root;

  constructor(root) {
    this.#root = root;
  }

  // result: lab_verdicts()'s { comparisons, claims, borrowed }; experiment: lab_experiments' entry that ran.
  show(result, experiment, text, lang) {
    const document = this.#root.ownerDocument;
    const words = (entry) => (lang === 'zh' ? entry.text_zh : entry.text_en);
    const claims = result.claims.filter((claim) => experiment.claims.includes(claim.claim));
    const comparisons = result.comparisons.filter((comparison) => comparison.experiment === experiment.id);
    const intro = document.createElement('p');
    intro.className = 'muted';
    intro.textContent = text('lab.verdicts.behind', { experiment: lang === 'zh' ? experiment.title_zh : experiment.title_en });
    const claimList = document.createElement('ul');
    claimList.className = 'lab-verdict-claims';
    claimList.append(...claims.map((claim) => item(document, 'lab-verdict', claim.verdict, words(claim))));
    const details = document.createElement('details');
    details.className = 'lab-verdict-comparisons';
    const summary = document.createElement('summary');
    summary.textContent = text('lab.verdicts.comparisons', { count: comparisons.length });
    const list = document.createElement('ul');
    list.append(...comparisons.map((comparison) => item(document, 'lab-verdict-comparison', comparison.verdict, words(comparison))));
    details.append(summary, list);
    this.#root.replaceChildren(intro, claimList, details);
    this.#root.hidden = false;
  }

  hide() {
    this.#root.hidden = true;
    this.#root.replaceChildren();
  }
}
