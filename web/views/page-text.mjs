// The page's text function: t() from web/i18n/strings.mjs, plus the few labels of this page's layout
// that strings.mjs does not (yet) define, in en and zh. Elements with data-i18n-extra take these;
// elements with data-i18n are filled by strings.mjs' applyStrings; data-i18n-label sets aria-label.
import { applyStrings, t } from '../i18n/strings.mjs';

const extra = {
  en: {
    'controls.inputs': 'Inputs Q, K',
    'controls.attention': 'Attention',
    'controls.masks': 'Masks and display',
    'load.analyze': 'Analyze with these Q, K',
    'load.none': 'no file yet',
    'footer.about': 'Every number on this page is computed by the C++ core, compiled to WebAssembly and run in Web Workers.',
    'heatmap.label': 'attention matrix A, {pattern}: row i = query i, column j = key j',
    'sweep.on_demand': 'Large n: press Run to start the sweep.',
    'exports.label': 'Export',
    'linear.case': 'matrix',
    'raises.current': 'current s = {s}',
    'slider.scale': 'logit scale s (log₂ slider)',
    'slider.n': 'n (slider)',
  },
  zh: {
    'controls.inputs': '输入 Q、K',
    'controls.attention': '注意力',
    'controls.masks': '掩码与显示',
    'load.analyze': '用这组 Q、K 计算',
    'load.none': '尚未选择文件',
    'footer.about': '本页的每个数字都由 C++ 内核计算：编译为 WebAssembly，在 Web Worker 中运行。',
    'heatmap.label': '注意力矩阵 A，{pattern}：第 i 行是查询 i，第 j 列是键 j',
    'sweep.on_demand': 'n 较大：点击“运行”开始扫描。',
    'exports.label': '导出',
    'linear.case': '矩阵',
    'raises.current': '当前 s = {s}',
    'slider.scale': 'logit 缩放 s（log₂ 滑块）',
    'slider.n': 'n（滑块）',
  },
};

export function pageText(lang, key, params = {}) {
  const table = extra[lang] ?? extra.en;
  const own = table[key] ?? extra.en[key];
  if (own === undefined) return t(lang, key, params);
  return own.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name) => (params[name] ?? whole));
}

export function applyPageText(root, lang) {
  applyStrings(root, lang);
  for (const element of root.querySelectorAll('[data-i18n-extra]')) {
    element.textContent = pageText(lang, element.dataset.i18nExtra);
  }
  for (const element of root.querySelectorAll('[data-i18n-label]')) {
    element.setAttribute('aria-label', pageText(lang, element.dataset.i18nLabel));
  }
}
