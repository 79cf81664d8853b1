// The iframe fallback (embed.html): the query string's known attributes become one <attn-figure>'s
// attributes (setAttribute only; unknown keys are ignored), and every change of the document's height is
// posted to the parent as { type: 'attnrank:height', height } so the host can size the iframe. The page
// listens to no message: nothing the parent sends can act on it.
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

let lastHeight = -1;
function reportHeight() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height === lastHeight || window.parent === window) return;
  lastHeight = height;
  window.parent.postMessage({ type: 'attnrank:height', height }, '*');
}
new ResizeObserver(reportHeight).observe(document.documentElement);
figure.addEventListener('attn-figure-done', reportHeight);
