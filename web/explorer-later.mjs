// The explorer's figures below its first view, in one module that main.mjs imports once the first figure is
// drawn (or when a control of one of them is used first): softmax against linear attention, the rank that softmax
// raises, depth, heads, the claims, the sweep and the reader's own Q and K. The site build (scripts/bundle.mjs
// bundleExplorer) makes this module's graph one chunk, so the first view does not fetch it.
export { LinearSection } from './views/figures/linear.mjs';
export { RaisesRankSection } from './views/figures/raises-rank.mjs';
export { DepthSection } from './views/figures/depth.mjs';
export { HeadsSection } from './views/figures/heads.mjs';
export { ClaimsSection } from './views/figures/claims.mjs';
export { SweepSection } from './views/figures/sweep.mjs';
export { LoadSection } from './views/figures/load.mjs';
