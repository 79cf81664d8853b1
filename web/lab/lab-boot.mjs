// The lab page's first module: lab.html loads it as its own script before lab-main.mjs, so it runs as soon as
// its small graph is here rather than after the page's whole graph (uPlot, the renderers, the words): when the
// URL asks for an experiment's default settings it starts fetching that experiment's gallery (gallery.mjs),
// which lab-main.mjs draws (issue 18: the lab's first figures from the gallery under 1 s). No DOM.
import { loadGallery } from './gallery.mjs';
import { optionKeys } from './lab-state.mjs';

const search = new URLSearchParams(location.search);
// Only a state at the experiment's default settings (no seeds, no options) shows the gallery.
export const isDefaultSearch = !['seeds', ...optionKeys].some((key) => search.has(key));
export const earlyGallery = isDefaultSearch ? loadGallery(search.get('experiment')) : Promise.resolve(null);
earlyGallery.catch(() => {});  // lab-main.mjs shows it, or its error once the module is ready
