// The embeddable entry for hosts that can only write a classic <script src> (MkDocs 1.4's extra_javascript, a
// CMS's script setting): loads attnrank.mjs, the module beside this file, as a module; that defines <attn-figure>.
// Prefer <script type="module" src=".../attnrank.mjs"> wherever the host allows it (one request fewer). A block,
// so that no name of this file lands in the page's global scope.
{
  const here = document.currentScript.src;
  import(new URL('attnrank.mjs', here).href)
    .catch((error) => console.error(`attnrank: could not load attnrank.mjs beside ${here}: ${error}`));
}
