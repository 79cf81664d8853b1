// The essay page's language switch (web/essay.html): shows the article whose lang is ?lang=zh|en (default
// from navigator.language, the explorer's rule in i18n/strings.mjs), hides the other, keeps the choice in
// the URL and keeps the reader at the same section across a switch. essay.html loads this module before
// attnrank.mjs, so the hidden article is hidden before <attn-figure> is defined: its figures never come near
// the viewport and never compute. Leaves out: any text of its own (both articles are written in the HTML).
import { pickLanguage } from '../i18n/strings.mjs';
import { forcedColoursStyleSheet } from '../views/forced-colours.mjs';

// 'en' | 'zh' for a location.search string and navigator.language.
export function languageFor(search, navigatorLanguage) {
  return pickLanguage(new URLSearchParams(search).get('lang'), navigatorLanguage);
}

function articles() {
  return [...document.querySelectorAll('article.essay[lang]')];
}

// The data-section of the first section whose bottom is below the top of the viewport, in the shown article.
function sectionAtTop() {
  const shown = articles().find((article) => !article.hidden);
  const sections = shown ? [...shown.querySelectorAll('[data-section]')] : [];
  return sections.find((section) => section.getBoundingClientRect().bottom > 0)?.dataset.section ?? null;
}

export function showLanguage(lang) {
  for (const article of articles()) article.hidden = article.lang !== lang;
  const shown = articles().find((article) => article.lang === lang);
  document.documentElement.lang = lang;
  if (shown?.dataset.title) document.title = shown.dataset.title;
  // The links to the explorer and the lab keep the language.
  for (const page of ['index.html', 'lab.html']) {
    for (const link of document.querySelectorAll(`a[href^="${page}"]`)) {
      const url = new URL(link.getAttribute('href'), window.location.href);
      url.searchParams.set('lang', lang);
      link.setAttribute('href', `${page}${url.search}${url.hash}`);
    }
  }
  for (const link of document.querySelectorAll('[data-essay-lang]')) {
    if (link.dataset.essayLang === lang) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
  }
}

function switchTo(lang) {
  const section = sectionAtTop();
  showLanguage(lang);
  const url = new URL(window.location.href);
  url.searchParams.set('lang', lang);
  history.pushState({ lang }, '', url);
  const counterpart = section && document.querySelector(`article.essay[lang="${lang}"] [data-section="${section}"]`);
  // Keep the reader where they were; at the first section, the top of the page is where they were.
  if (counterpart && counterpart !== document.querySelector(`article.essay[lang="${lang}"] [data-section]`)) {
    counterpart.scrollIntoView();
  }
}

showLanguage(languageFor(window.location.search, navigator.language));
// Forced colours (high contrast) for the essay's own focus rings, from the sheet the explorer and figures share.
document.adoptedStyleSheets = [...document.adoptedStyleSheets, forcedColoursStyleSheet()];

for (const link of document.querySelectorAll('[data-essay-lang]')) {
  link.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    switchTo(link.dataset.essayLang);
  });
}

window.addEventListener('popstate', () => showLanguage(languageFor(window.location.search, navigator.language)));
