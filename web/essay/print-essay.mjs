// Printing the essay: figures compute only near the viewport, so a reader who prints before scrolling would
// get empty frames. The Print button first asks every figure of the shown article to compute
// (AttnFigure.computeNow), showing how many are ready, then opens the browser's print dialog; the print
// stylesheet (essay.css, the embed's figure-style.mjs) drops the controls. A print started another way
// (Ctrl+P) starts the computation too, so a second attempt prints every figure.
function shownFigures() {
  return [...document.querySelectorAll('article.essay:not([hidden]) attn-figure')].filter((figure) => figure.computeNow);
}

function statusText(lang, ready, total) {
  return lang === 'zh' ? `正在准备图 ${ready}/${total}…` : `Preparing figures ${ready}/${total}…`;
}

// Resolves once every shown figure has drawn or failed; status(ready, total) after each one.
export async function computeShownFigures(status = () => {}) {
  const figures = shownFigures();
  let ready = 0;
  status(ready, figures.length);
  await Promise.all(figures.map((figure) => figure.computeNow().then(() => status(++ready, figures.length))));
  return figures.length;
}

async function printEssay(button, output) {
  button.disabled = true;
  const lang = document.documentElement.lang === 'zh' ? 'zh' : 'en';
  try {
    await computeShownFigures((ready, total) => { output.textContent = statusText(lang, ready, total); });
  } finally {
    output.textContent = '';
    button.disabled = false;
  }
  window.print();
}

const button = document.querySelector('[data-print-essay]');
const output = document.querySelector('[data-print-status]');
if (button && output) button.addEventListener('click', () => printEssay(button, output));
window.addEventListener('beforeprint', () => { computeShownFigures(); });
