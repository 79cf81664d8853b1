// The lab page's words: its own tables (i18n/lab-strings-*.mjs) over the shared ones (strings-en.mjs,
// strings-zh.mjs: stat.*, chart.a11y.*, nav.skip), through strings.mjs's translate(). English is loaded at
// once, Chinese (both tables) when first asked for. A separate table so the explorer's and the embeds'
// first loads carry none of the lab's words.
import { enStrings, translate } from '../i18n/strings.mjs';
import { labStringsEn } from '../i18n/lab-strings-en.mjs';

const tables = { en: { ...enStrings, ...labStringsEn } };
const loads = new Map();

// Resolves when lang's tables are loaded (en at once).
export function loadLabLanguage(lang) {
  if (lang === 'en' || tables[lang]) return Promise.resolve();
  if (lang !== 'zh') return Promise.reject(new Error(`loadLabLanguage: unknown language ${JSON.stringify(lang)}`));
  if (!loads.has(lang)) {
    const load = Promise.all([import('../i18n/strings-zh.mjs'), import('../i18n/lab-strings-zh.mjs')])
      .then(([{ zhStrings }, { labStringsZh }]) => { tables.zh = { ...zhStrings, ...labStringsZh }; });
    load.catch(() => loads.delete(lang));
    loads.set(lang, load);
  }
  return loads.get(lang);
}

// The words function of a language: text(key, params).
export function labWords(lang) {
  return (key, params = {}) => translate(tables, tables[lang] ? lang : 'en', key, params);
}

// Fills root's [data-i18n] (textContent) and [data-i18n-aria] (aria-label) in lang; <html lang> too.
export function applyLabStrings(root, lang) {
  const text = labWords(lang);
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = text(element.dataset.i18n);
  for (const element of root.querySelectorAll('[data-i18n-aria]')) element.setAttribute('aria-label', text(element.dataset.i18nAria));
  root.documentElement?.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
}
