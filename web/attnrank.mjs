// The embeddable entry: <script type="module" src=".../attnrank.mjs"></script> defines <attn-figure>.
// Everything it loads (element, views, worker, wasm) resolves relative to this file, so the folder
// works wherever a site copies it (dist/attnrank/ from scripts/build-dist.sh, or web/ itself).
export { AttnFigure } from './embed/attn-figure.mjs';
