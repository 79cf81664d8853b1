// The load view: the reader's own Q and K, dropped or picked as two .npy files (float32/float64, n x d,
// parsed by the core's .npy reader in a worker) or one JSON file {"q": [[...]], "k": [[...]]}; shape and
// value checks with messages that name the file; then the four patterns analysed on them (a PatternsView
// in this section). The inputs stay in memory only: they are not part of the URL.

// A JSON matrix (array of equal-length arrays of finite numbers) -> { rows, cols, data } or throws.
function matrixFromJson(value, label) {
  if (!Array.isArray(value) || value.length === 0 || !Array.isArray(value[0])) {
    throw new Error(`${label} must be a non-empty array of rows (arrays of numbers)`);
  }
  const rows = value.length;
  const cols = value[0].length;
  if (cols === 0) throw new Error(`${label} has empty rows`);
  const data = new Float64Array(rows * cols);
  value.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new Error(`${label} row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, expected ${cols}`);
    }
    row.forEach((entry, j) => {
      if (typeof entry !== 'number' || !Number.isFinite(entry)) {
        throw new Error(`${label}[${i}][${j}]=${JSON.stringify(entry)} is not a finite number`);
      }
      data[i * cols + j] = entry;
    });
  });
  return { rows, cols, data };
}

export function parseJsonInputs(text, fileName) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not valid JSON (${error.message})`);
  }
  if (!value || typeof value !== 'object' || !('q' in value) || !('k' in value)) {
    throw new Error(`${fileName}: expected an object {"q": [[...]], "k": [[...]]}`);
  }
  return { q: matrixFromJson(value.q, `${fileName}: q`), k: matrixFromJson(value.k, `${fileName}: k`) };
}

const isJson = (file) => /\.json$/i.test(file.name) || file.type === 'application/json';

export class LoadView {
  // elements: { dropZone, qInput, kInput, summary, error, analyzeButton }
  // parseNpy(bytes: Uint8Array, label) -> Promise<{ rows, cols, data }> (the core, in a worker)
  // onAnalyze({ q, k, n, d }) is called by the analyze button.
  constructor(elements, { parseNpy, onAnalyze, text }) {
    Object.assign(this, elements);
    this.parseNpy = parseNpy;
    this.onAnalyze = onAnalyze;
    this.text = text;
    this.q = null;
    this.k = null;
    this.qInput.addEventListener('change', () => this.#takeFiles([...this.qInput.files], 'q'));
    this.kInput.addEventListener('change', () => this.#takeFiles([...this.kInput.files], 'k'));
    this.dropZone.addEventListener('dragover', (event) => {
      event.preventDefault();
      this.dropZone.classList.add('is-over');
    });
    this.dropZone.addEventListener('dragleave', () => this.dropZone.classList.remove('is-over'));
    this.dropZone.addEventListener('drop', (event) => {
      event.preventDefault();
      this.dropZone.classList.remove('is-over');
      this.#takeFiles([...event.dataTransfer.files], null);
    });
    this.analyzeButton.addEventListener('click', () => {
      if (this.q && this.k) this.onAnalyze({ q: this.q.data, k: this.k.data, n: this.q.rows, d: this.q.cols });
    });
  }

  setText(text) {
    this.text = text;
    this.#summarize();
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  // files for slot 'q' or 'k', or (slot null, a drop) one JSON file or two .npy files (named q*/k*, else
  // in the order given).
  async #takeFiles(files, slot) {
    this.error.hidden = true;
    try {
      if (files.length === 0) return;
      const json = files.find(isJson);
      if (json) {
        const { q, k } = parseJsonInputs(await json.text(), json.name);
        this.q = q;
        this.k = k;
      } else if (slot) {
        this[slot] = await this.#readNpy(files[0]);
      } else {
        const byName = (letter) => files.find((file) => file.name.toLowerCase().startsWith(letter));
        const qFile = byName('q') ?? files[0];
        const kFile = byName('k') ?? files.find((file) => file !== qFile);
        this.q = await this.#readNpy(qFile);
        if (kFile) this.k = await this.#readNpy(kFile);
      }
      this.#checkShapes();
    } catch (error) {
      this.showError(error.message);
    }
    this.#summarize();
  }

  async #readNpy(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return await this.parseNpy(bytes, file.name);
    } catch (error) {
      throw new Error(error.message.includes(file.name) ? error.message : `${file.name}: ${error.message}`);
    }
  }

  #checkShapes() {
    if (!this.q || !this.k) return;
    if (this.q.rows !== this.k.rows || this.q.cols !== this.k.cols) {
      const message = this.text('load.shape_mismatch', {
        qRows: this.q.rows, qCols: this.q.cols, kRows: this.k.rows, kCols: this.k.cols });
      this.k = null;
      throw new Error(message);
    }
  }

  #summarize() {
    const describe = (matrix, label) => (matrix ? this.text('load.loaded', { label, rows: matrix.rows, cols: matrix.cols })
      : `${label}: ${this.text('load.none')}`);
    this.summary.textContent = `${describe(this.q, 'Q')} \u00b7 ${describe(this.k, 'K')}`;
    this.analyzeButton.disabled = !(this.q && this.k);
  }
}
