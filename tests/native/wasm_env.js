// --pre-js of the wasm GoogleTest runner (CMakeLists.txt): a program compiled by Emscripten sees only a
// fixed default environment, not node's, so ATTNRANK_TEST_SEED (test_support.h, test_seed()) is copied
// from node's environment before main runs; a seed printed by a failing test then replays in wasm too.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  if (typeof process !== 'undefined' && process.env['ATTNRANK_TEST_SEED'] !== undefined) {
    ENV['ATTNRANK_TEST_SEED'] = process.env['ATTNRANK_TEST_SEED'];
  }
});
