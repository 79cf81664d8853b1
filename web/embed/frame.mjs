// The iframe fallback (embed.html): the query string's known attributes become one <attn-figure>'s
// attributes (setAttribute only; unknown keys are ignored). The page fits the frame it is given (issue 19
// item 3): the figure lays out at the frame's width (its panels stack in a narrow one), and when it is then
// taller or wider than the frame the page zooms it out until the whole figure shows, never a scrollbar
// (docs/embedding.md gives each kind's size at which it shows at full size). Every change of the figure's
// height at full size is posted to the parent as { type: 'attnrank:height', height }, so a host that runs
// scripts can size the iframe to it. The page listens to no message: nothing the parent sends can act on it.
import { pickLanguage } from '../i18n/strings.mjs';
import { observedAttributes } from './attribute-state.mjs';
import './attn-figure.mjs';

const params = new URLSearchParams(location.search);
const figure = document.createElement('attn-figure');
for (const name of observedAttributes) {
  if (params.has(name)) figure.setAttribute(name, params.get(name));
}
// Without ?lang= the reader's browser decides, as on the explorer (embed.html's own lang="en" is only the
// default for readers without a language).
const lang = pickLanguage(params.get('lang'), navigator.languages?.length ? navigator.languages : navigator.language);
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
// The frame cannot inherit the host page's colour scheme; ?theme=light|dark fixes the frame's own (frame.css
// says light dark: the OS decides), so its canvas matches the figure.
const theme = params.get('theme')?.trim().toLowerCase();
if (theme === 'light' || theme === 'dark') document.documentElement.style.colorScheme = theme;
document.body.append(figure);

const page = document.documentElement;
let lastHeight = -1;
function reportHeight(height) {
  if (height === lastHeight || window.parent === window) return;
  lastHeight = height;
  window.parent.postMessage({ type: 'attnrank:height', height }, '*');
}

// The scale at which the figure fits the frame (1: it fits at full size): the figure keeps the layout it has
// at the frame's width (a transform changes no layout, so scaling cannot change what it scales), and is drawn
// smaller, centred, when that layout is taller or wider than the frame; the document then hides the overflow
// of the layout box, which the scaled figure no longer fills. Sets body.dataset.fit (the scale, for tests).
// The document's height is its content's (html's box; scrollHeight would be the frame's when the content is
// shorter); its width the frame's, so a wider content shows in scrollWidth.
function fit() {
  figure.style.transform = '';  // measured unscaled (the scaled figure's own overflow would count otherwise)
  const { width, height } = page.getBoundingClientRect();
  reportHeight(Math.ceil(height));  // the height at full size, at this width
  const scale = Math.min(1, page.clientWidth / Math.max(width, page.scrollWidth), page.clientHeight / height);
  figure.style.transformOrigin = 'top center';
  figure.style.transform = scale < 1 ? `scale(${scale})` : '';
  page.style.overflow = scale < 1 ? 'hidden' : '';
  document.body.dataset.fit = String(Math.floor(scale * 1000) / 1000);
}
new ResizeObserver(fit).observe(figure);
window.addEventListener('resize', fit);
figure.addEventListener('attn-figure-done', fit);
