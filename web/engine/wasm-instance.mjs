// The module's .wasm compiled and instantiated inside a worker, and the buffers a worker's answer transfers:
// shared by the engine worker and the lab worker (each posts the compiled WebAssembly.Module to the next
// worker, so it is compiled once per page).

// Streaming compile of the .wasm (the server sends application/wasm); from the bytes when streaming fails.
export async function compileWasm(wasmUrl) {
  const response = await fetch(wasmUrl, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${wasmUrl}: HTTP ${response.status}`);
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

// The Embind module on a compiled WebAssembly.Module (Emscripten's instantiateWasm hook).
export function instantiate(createAttnrank, wasmModule) {
  return new Promise((resolve, reject) => {
    createAttnrank({
      instantiateWasm(imports, receiveInstance) {
        WebAssembly.instantiate(wasmModule, imports)
          .then((instance) => receiveInstance(instance, wasmModule))
          .catch(reject);
        return {};  // exports arrive asynchronously through receiveInstance
      },
    }).then(resolve, reject);
  });
}

// The buffers of every typed array in an answer (the value itself, or nested at any depth in its objects and
// arrays: mixture's head_matrices, per-head statistics' singular_values), each once: transferred, not cloned, so
// neither the worker nor the page copies them again. Only for values the binding made: every typed array it
// returns is a fresh copy (src/bindings/js_convert.h), never a view of the wasm heap, and the worker keeps none.
export function transferables(value, found = new Set()) {
  if (ArrayBuffer.isView(value)) found.add(value.buffer);
  else if (value && typeof value === 'object') for (const entry of Object.values(value)) transferables(entry, found);
  return found;
}
