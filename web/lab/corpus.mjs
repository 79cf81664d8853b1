// The corpus tasks' text (design-lab.md section 3: Jane Austen's novels), shipped beside the wasm module by
// build-wasm.sh (wasm/austen.txt, the file the native build's `attnrank train` reads) and fetched only when
// a run of a corpus task starts: once per page, as bytes (the core tokenises bytes; no decoding here).
const kCorpusUrl = new URL('../wasm/austen.txt', import.meta.url);
let load = null;

// Resolves to the corpus bytes; a failed fetch is forgotten so a later run tries again. The error of a
// missing file says so (the page shows lab.corpus.missing with it).
export function loadCorpus() {
  if (!load) {
    load = fetch(kCorpusUrl).then(async (response) => {
      if (!response.ok) throw Object.assign(new Error(`${kCorpusUrl.pathname}: HTTP ${response.status}`), { code: 'corpus_missing' });
      return new Uint8Array(await response.arrayBuffer());
    });
    load.catch(() => { load = null; });
  }
  return load;
}
