// scripts/test-groups.mjs: the files scripts/test.sh runs two at a time never read a clock, every file is in
// exactly one group, and every listed file exists.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { groups, kClockPattern, kE2eShared, kNodeAlone, root, testFiles } from '../../scripts/test-groups.mjs';

for (const suite of ['node', 'e2e']) {
  test(`tests/${suite}: every file in one group; the shared ones read no clock`, () => {
    const { shared, alone } = groups(suite);
    assert.deepEqual([...shared, ...alone].sort(), testFiles(suite));
    assert.ok(shared.length > 0 && alone.length > 0);
    const timed = shared.filter((name) => kClockPattern.test(readFileSync(path.join(root, 'tests', suite, name), 'utf8')));
    assert.deepEqual(timed, [], `these read a clock: list them as alone (scripts/test-groups.mjs)`);
  });
}

test('every listed file exists', () => {
  for (const name of kNodeAlone) assert.ok(testFiles('node').includes(name), `tests/node/${name}`);
  for (const name of kE2eShared) assert.ok(testFiles('e2e').includes(name), `tests/e2e/${name}`);
});

test('the pattern catches the ways the suites time things', () => {
  // Spelled in pieces, so that this file reads as clock-free itself.
  const timed = [['Date.', 'now();'], ['performance.', 'now() - started'], ['new Performance', 'Observer('],
    ["entryTypes: ['long", "task']"], ['document.body.dataset.depth', 'Ms'], ['process.hr', 'time.bigint()']];
  for (const line of timed.map((parts) => parts.join(''))) assert.ok(kClockPattern.test(line), line);
  for (const line of ['{ timeout: kTimeoutMs }', 'setTimeout(resolve, 50)']) assert.ok(!kClockPattern.test(line), line);
});
