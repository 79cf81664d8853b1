// node --test: `attnrank help` is written from the core's parameter registry (src/cli/usage.cpp): each
// command's synopsis lists exactly the CLI flags of the registry parameters of its request, in registry
// order, each with its default for that command; README.md's copy of the synopsis is the CLI's text, so
// neither can drift. ATTNRANK_CLI points at another build's attnrank (default build/native/attnrank).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { root } from './load-wasm.mjs';

const cliPath = process.env.ATTNRANK_CLI ? path.resolve(process.env.ATTNRANK_CLI) : path.join(root, 'build', 'native', 'attnrank');
// The README's copy follows this marker, in the next fenced block.
const kMarker = '<!-- the synopsis of `attnrank help`';

let help;
let registry;

before(() => {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build natively (cmake -S . -B build/native)`);
  help = execFileSync(cliPath, ['help'], { encoding: 'utf8' });
  registry = JSON.parse(execFileSync(cliPath, ['parameters'], { encoding: 'utf8' }));
});

// The synopsis: the help text up to its first empty line.
const synopsisOf = (text) => text.slice(0, text.indexOf('\n\n') + 1);

// command -> its synopsis entry ("  attnrank <command> ..." and its continuation lines).
function entries(synopsis) {
  const out = {};
  let current = null;
  for (const line of synopsis.split('\n').slice(1)) {
    const head = /^ {2}attnrank ([a-z]+)/.exec(line);
    if (head) {
      current = head[1];
      out[current] = line;
    } else if (current && line.trim()) {
      out[current] += `\n${line}`;
    }
  }
  return out;
}

test('README.md\'s usage is the synopsis of `attnrank help`', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(kMarker);
  assert.ok(at >= 0, `README.md has no "${kMarker}" marker before its copy of the usage`);
  const block = /```\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, 'a fenced block follows the marker');
  assert.equal(block[1], synopsisOf(help),
    'README.md\'s usage differs from the CLI\'s: paste `attnrank help`\'s text up to its first empty line');
});

test('each command\'s synopsis lists exactly its registry parameters\' flags, in registry order, with its defaults', () => {
  const byCommand = entries(synopsisOf(help));
  const requests = ['stats', 'sweep', 'collapse', 'mixture', 'arch', 'permutation', 'claims', 'train'];
  for (const request of requests) {
    const rows = registry.filter((entry) => entry.cli_flag && entry.requests.includes(request));
    assert.ok(rows.length > 0, `${request} has registry parameters`);  // train's since its table (lab/run_request.h)
    const entry = byCommand[request];
    assert.ok(entry, `no synopsis for ${request}`);
    const flags = [...entry.matchAll(/--([a-z][a-z0-9-]*)/g)].map((match) => match[1]);
    assert.deepEqual(flags, rows.map((row) => row.cli_flag), request);
    for (const row of rows.filter((r) => r.type === 'integer' || r.type === 'number')) {
      const value = Object.hasOwn(row.defaults, request) ? row.defaults[request] : row.default;
      if (value === null) continue;
      assert.ok(entry.includes(`[--${row.cli_flag} ${value}]`), `${request}: --${row.cli_flag} shows its default ${value}`);
    }
  }
  for (const command of ['limits', 'parameters', 'schema']) assert.ok(byCommand[command], `no synopsis for ${command}`);
});
