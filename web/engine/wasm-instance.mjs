// The module's .wasm compiled and instantiated inside a worker: shared by the engine worker and the lab
// worker (each posts the compiled WebAssembly.Module to the next worker, so it is compiled once per page).

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
