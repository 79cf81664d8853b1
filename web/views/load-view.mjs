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

// Each input slot (Q, K) keeps what the reader chose for it: the file's name, and either its matrix or the
// message it was rejected with. Choosing K never erases Q's message, and a rejected file is named as such
// beside the other slot, never as "no file yet" (issue 17 item 9). The error box shows every slot's message.
function emptySlot() {
  return { fileName: null, matrix: null, error: null };
}

export class LoadView {
  // elements: { dropZone, qInput, kInput, summary, error, analyzeButton }
  // parseNpy(bytes: Uint8Array, label) -> Promise<{ rows, cols, data }> (the core, in a worker)
  // onAnalyze({ q, k, n, d }) is called by the analyze button.
  constructor(elements, { parseNpy, onAnalyze, text }) {
    Object.assign(this, elements);
    this.parseNpy = parseNpy;
    this.onAnalyze = onAnalyze;
    this.text = text;
    this.slots = { q: emptySlot(), k: emptySlot() };
    this.shapeError = null;  // Q and K both read, but of different shapes
    this.analysisError = null;  // the core refused the analysis of the loaded inputs
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
      const { q, k } = this;
      if (q && k) this.onAnalyze({ q: q.data, k: k.data, n: q.rows, d: q.cols });
    });
  }

  // The matrices ready for analysis (null while a slot is empty or rejected, or the shapes differ).
  get q() { return this.shapeError ? null : this.slots.q.matrix; }

  get k() { return this.shapeError ? null : this.slots.k.matrix; }

  setText(text) {
    this.text = text;
    this.#checkShapes();
    this.#summarize();
  }

  // An error of the analysis itself (the core's), shown with the slots' messages until the inputs change.
  showError(message) {
    this.analysisError = message;
    this.#summarize();
  }

  // files for slot 'q' or 'k', or (slot null, a drop) one JSON file or two .npy files (named q*/k*, else
  // in the order given).
  async #takeFiles(files, slot) {
    if (files.length === 0) return;
    this.analysisError = null;
    const json = files.find(isJson);
    if (json) {
      // One JSON file holds both: it fills (or fails) both slots.
      try {
        const { q, k } = parseJsonInputs(await json.text(), json.name);
        this.slots = { q: { fileName: json.name, matrix: q, error: null }, k: { fileName: json.name, matrix: k, error: null } };
      } catch (error) {
        this.slots = { q: { fileName: json.name, matrix: null, error: error.message }, k: emptySlot() };
      }
    } else if (slot) {
      this.slots[slot] = await this.#readNpy(files[0]);
    } else {
      const byName = (letter) => files.find((file) => file.name.toLowerCase().startsWith(letter));
      const qFile = byName('q') ?? files[0];
      const kFile = byName('k') ?? files.find((file) => file !== qFile);
      this.slots.q = await this.#readNpy(qFile);
      if (kFile) this.slots.k = await this.#readNpy(kFile);
    }
    this.#checkShapes();
    this.#summarize();
  }

  // A slot's state for one .npy file: its matrix, or the core's message naming the file.
  async #readNpy(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return { fileName: file.name, matrix: await this.parseNpy(bytes, file.name), error: null };
    } catch (error) {
      const message = error.message.includes(file.name) ? error.message : `${file.name}: ${error.message}`;
      return { fileName: file.name, matrix: null, error: message };
    }
  }

  #checkShapes() {
    const { q, k } = { q: this.slots.q.matrix, k: this.slots.k.matrix };
    this.shapeError = q && k && (q.rows !== k.rows || q.cols !== k.cols)
      ? this.text('load.shape_mismatch', { qRows: q.rows, qCols: q.cols, kRows: k.rows, kCols: k.cols }) : null;
  }

  #summarize() {
    const describe = (slot, label) => {
      const { fileName, matrix, error } = this.slots[slot];
      if (matrix) return `${this.text('load.loaded', { label, rows: matrix.rows, cols: matrix.cols })} (${fileName})`;
      if (error) return this.text('load.rejected', { label, file: fileName });
      return `${label}: ${this.text('load.none')}`;
    };
    this.summary.textContent = `${describe('q', 'Q')} \u00b7 ${describe('k', 'K')}`;
    const messages = [this.slots.q.error, this.slots.k.error, this.shapeError, this.analysisError].filter(Boolean);
    this.error.textContent = [...new Set(messages)].join(' ');
    this.error.hidden = messages.length === 0;
    this.analyzeButton.disabled = !(this.q && this.k);
  }
}
