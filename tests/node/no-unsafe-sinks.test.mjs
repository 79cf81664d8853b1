// A cheap static guard over everything web/ ships (the page, the embeds, the workers, the Emscripten glue):
// no HTML-parsing or code-evaluating sink (innerHTML, outerHTML, insertAdjacentHTML, document.write,
// createContextualFragment, srcdoc, eval, new Function / Function(...), setTimeout or setInterval with a
// string, javascript: URLs), and in the HTML no inline script, inline style or on* handler attribute (the
// CSP would block them, silently). Comments are stripped first, so a comment may name a sink. What it
// leaves out: values reaching a sink through a variable alias (none can: there is no sink at all).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const webRoot = path.join(root, 'web');

const scriptSinks = [
  ['innerHTML', /\.innerHTML\b/],
  ['outerHTML', /\.outerHTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['document.write', /\bdocument\s*\.\s*write(ln)?\b/],
  ['createContextualFragment', /\bcreateContextualFragment\b/],
  ['srcdoc', /\bsrcdoc\b/],
  ['DOMParser', /\bDOMParser\b/],
  ['eval', /(^|[^\w$.])eval\s*\(/],
  ['Function constructor', /(^|[^\w$.])(new\s+)?Function\s*\(/],
  ['setTimeout/setInterval with a string', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
  ['javascript: URL', /javascript:/i],
];
const htmlSinks = [
  ['inline script', /<script\b(?![^>]*\bsrc=)[^>]*>/i],
  ['inline style element', /<style\b/i],
  ['style attribute', /<[a-z][^>]*\sstyle\s*=/i],
  ['on* handler attribute', /<[a-z][^>]*\son[a-z]+\s*=/i],
  ['javascript: URL', /javascript:/i],
];

// Comments out: /* ... */ blocks and // to the end of the line (not the // of a URL like "https://").
function stripScriptComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function stripHtmlComments(source) {
  return source.replace(/<!--[\s\S]*?-->/g, ' ');
}

// [[sink name, line number, line], ...] for one file's text.
function findSinks(source, kind) {
  const text = kind === 'html' ? stripHtmlComments(source) : stripScriptComments(source);
  const sinks = kind === 'html' ? htmlSinks : scriptSinks;
  const found = [];
  text.split('\n').forEach((line, index) => {
    for (const [name, pattern] of sinks) {
      if (pattern.test(line)) found.push([name, index + 1, line.trim().slice(0, 120)]);
    }
  });
  return found;
}

async function shippedFiles(directory) {
  const files = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...await shippedFiles(full));
    else if (/\.(mjs|js|html)$/.test(entry.name)) files.push(full);
  }
  return files;
}

test('the checker finds each sink it looks for (and ignores comments and URLs)', () => {
  const script = [
    'el.innerHTML = name;', 'x.outerHTML = y;', 'n.insertAdjacentHTML("beforeend", s);', 'document.write(s);',
    'range.createContextualFragment(s);', 'frame.srcdoc = s;', 'new DOMParser();', 'eval(code);',
    'const f = new Function("a", body);', 'setTimeout("go()", 5);', 'a.href = "javascript:alert(1)";',
  ].join('\n');
  assert.deepEqual(findSinks(script, 'js').map(([name]) => name), scriptSinks.map(([name]) => name));
  assert.deepEqual(findSinks('// innerHTML is never used\n/* eval( */ const url = "https://x/y"; setTimeout(run, 5);\nretrieval(3);', 'js'), []);
  const html = '<script>alert(1)</script>\n<style>p{}</style>\n<p style="color:red">\n<img src=x onerror=alert(1)>\n<a href="javascript:x">';
  assert.deepEqual(findSinks(html, 'html').map(([name]) => name), htmlSinks.map(([name]) => name));
  assert.deepEqual(findSinks('<!-- <script>x</script> -->\n<script type="module" src="main.mjs"></script>', 'html'), []);
});

test('no file web/ ships uses an HTML or code sink; the HTML has no inline script, style or handler', async () => {
  const files = await shippedFiles(webRoot);
  assert.ok(files.length > 30, `only ${files.length} files found under web/`);
  assert.ok(files.some((file) => file.endsWith(path.join('wasm', 'attnrank.mjs'))),
    'the Emscripten glue web/wasm/attnrank.mjs is scanned too (build it first: bash build-wasm.sh)');
  const problems = [];
  for (const file of files) {
    const kind = file.endsWith('.html') ? 'html' : 'js';
    for (const [name, line, text] of findSinks(await readFile(file, 'utf8'), kind)) {
      problems.push(`${path.relative(root, file)}:${line}: ${name}: ${text}`);
    }
  }
  assert.deepEqual(problems, []);
});
