// --pre-js of the wasm GoogleTest runner (CMakeLists.txt): a program compiled by Emscripten sees only a
// fixed default environment, not node's, so ATTNRANK_TEST_SEED (test_support.h, test_seed()) is copied
// from node's environment before main runs; a seed printed by a failing test then replays in wasm too.
// GoogleTest's sharding variables too: ctest runs the suite in shards (CMakeLists.txt); without them each
// shard would run every test.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  if (typeof process === 'undefined') return;
  ['ATTNRANK_TEST_SEED', 'GTEST_TOTAL_SHARDS', 'GTEST_SHARD_INDEX'].forEach(function (name) {
    if (process.env[name] !== undefined) ENV[name] = process.env[name];
  });
});
