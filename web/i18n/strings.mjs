// The page's strings: the language choice, on-demand loading of the languages other than English (the
// English table is strings-en.mjs, the Chinese strings-zh.mjs) and a helper that fills [data-i18n] elements. Strings
// are plain text (no markup: they reach the DOM through textContent only); live numbers enter through
// {name} placeholders that t() fills. The "words" follow the source essay's argument and state its limits;
// each paragraph has its claim id (shared/claims.md), tag and source under separate keys (see `paragraphs`).
// Formulas live in math.mjs as MathML specs.
// Contract for other languages: t() is synchronous and reads only loaded tables, so every caller awaits
// loadLanguage(lang) before rendering text in lang. t() for a known language not loaded yet reads English
// and warns once on the console (e2e tests fail on console warnings), so a missing await is loud, not a
// page silently left in English. English is always loaded: it is the fallback for a key missing elsewhere.
import { patternWord } from '../state/pattern-registry.mjs';
import { enStrings } from './strings-en.mjs';

export { enStrings };

// Keys present in en only, shown in English in the Chinese page on purpose (none at present).
export const allowedFallbacks = Object.freeze([]);

export const languages = Object.freeze(['en', 'zh']);

// The modules of the languages other than English, each exporting its table as <lang>Strings.
const kLanguageModules = Object.freeze({ zh: () => import('./strings-zh.mjs').then((module) => module.zhStrings) });
// The tables loaded so far ({ en } at first) and the loads in flight or done, by language.
const loadedTables = { en: enStrings };
const loads = new Map([['en', Promise.resolve()]]);
const warnedLanguages = new Set();

// Resolves once lang's table is loaded (at once for 'en'; each language is fetched once, and a failed
// fetch is forgotten so a later call tries again). Rejects for a language not in `languages`.
export function loadLanguage(lang) {
  if (!languages.includes(lang)) return Promise.reject(new Error(`loadLanguage: unknown language ${JSON.stringify(lang)}`));
  if (!loads.has(lang)) {
    const load = kLanguageModules[lang]().then((table) => { loadedTables[lang] = table; });
    load.catch(() => loads.delete(lang));
    loads.set(lang, load);
  }
  return loads.get(lang);
}

// Whether t(lang, ...) reads lang's own table now.
export function isLanguageLoaded(lang) {
  return lang in loadedTables;
}

// The paragraphs of the words, in the essay's order. Each key K has K.claim, K.tag (a tag id: exact,
// numerical, anecdotal, conjecture; shown through t(lang, 'tag.' + id)) and K.source (a source key).
export const paragraphs = Object.freeze([
  'words.n_much_larger_than_d',
  'words.bidirectional_low_effective_rank',
  'words.causal_full_rank',
  'words.causal_ill_conditioned',
  'words.det_misleading',
  'words.full_rank_conjecture',
  'words.linear_bidirectional_rank',
  'words.linear_causal_full_rank',
  'words.softmax_raises_rank',
  'words.depth_collapse',
]);

const kPlaceholder = /\{([A-Za-z0-9_]+)\}/g;

// The placeholder names of a string, in order of appearance (duplicates kept once).
export function placeholders(text) {
  return [...new Set([...text.matchAll(kPlaceholder)].map((match) => match[1]))];
}

// The string for key in lang with {name} placeholders replaced by String(params[name]). A key missing in
// zh falls back to en; an unknown key returns the key itself, and a placeholder without a param stays
// as {name}, so both are visible on the page rather than silently blank. A known language not loaded
// yet reads English with a one-time console warning (see the header: callers await loadLanguage first).
export function t(lang, key, params = {}) {
  if (languages.includes(lang) && !isLanguageLoaded(lang) && !warnedLanguages.has(lang)) {
    warnedLanguages.add(lang);
    console.warn(`strings: t('${lang}', '${key}') before loadLanguage('${lang}') resolved; showing English`);
  }
  return translate(loadedTables, lang, key, params);
}

// t() over any { en, zh } tables (exported for tests). A pattern's words missing from the tables
// ('pattern.<id>', '.rule', '.used_by') come from the core's pattern registry once it is installed.
export function translate(tables, lang, key, params = {}) {
  const text = tables[lang]?.[key] ?? patternWord(lang, key) ?? tables.en[key] ?? patternWord('en', key);
  if (text === undefined) return key;
  return text.replace(kPlaceholder, (whole, name) => (params[name] === undefined || params[name] === null ? whole : String(params[name])));
}

// The page language: the state's ('en' or 'zh') when set, else from the browser's language (a string
// such as 'zh-CN', or navigator.languages): any zh* -> 'zh', anything else -> 'en'.
export function pickLanguage(stateLang, navigatorLanguage) {
  if (languages.includes(stateLang)) return stateLang;
  const first = Array.isArray(navigatorLanguage) ? navigatorLanguage[0] : navigatorLanguage;
  return typeof first === 'string' && first.trim().toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

// Fills root's [data-i18n] elements (textContent), [data-i18n-aria] (aria-label), [data-i18n-title]
// (title) and [data-i18n-placeholder] (placeholder) from lang; root itself counts too. When root is a
// document, also sets <html lang> so the browser picks CJK fonts and hyphenation for the language.
export function applyStrings(root, lang) {
  const elements = (selector) => {
    const found = [...root.querySelectorAll(selector)];
    if (root.matches?.(selector)) found.unshift(root);
    return found;
  };
  for (const element of elements('[data-i18n]')) element.textContent = t(lang, element.dataset.i18n);
  for (const element of elements('[data-i18n-aria]')) element.setAttribute('aria-label', t(lang, element.dataset.i18nAria));
  for (const element of elements('[data-i18n-title]')) element.setAttribute('title', t(lang, element.dataset.i18nTitle));
  for (const element of elements('[data-i18n-placeholder]')) {
    element.setAttribute('placeholder', t(lang, element.dataset.i18nPlaceholder));
  }
  const html = root.documentElement ?? (root.tagName === 'HTML' ? root : null);
  if (html) html.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
}
