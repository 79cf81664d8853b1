// The page's formulas as small nested-array specs, and buildMath(), which turns a spec into MathML
// elements with createElementNS (no innerHTML, no CDN; browsers render MathML Core natively).
// Spec: [tag, attributes?, ...children]; tag one of math, mrow, mi, mo, mn, mtext, msub, msup, msubsup,
// mfrac, msqrt, munder, munderover, mspace; attributes an optional plain object; a child is a string
// (text) or a spec; { i18n: key } as a child is text looked up with t(lang, key). Leaves out layout
// beyond MathML's own and any TeX parsing.

import { t } from './strings.mjs';

export const kMathNamespace = 'http://www.w3.org/1998/Math/MathML';

const kTags = new Set(['math', 'mrow', 'mi', 'mo', 'mn', 'mtext', 'msub', 'msup', 'msubsup', 'mfrac', 'msqrt', 'munder',
  'munderover', 'mspace']);

// Building blocks, so the specs below read close to the formulas.
const mi = (name) => ['mi', name];
const upright = (name) => ['mi', { mathvariant: 'normal' }, name];
const mo = (operator) => ['mo', operator];
const mn = (number) => ['mn', number];
const row = (...children) => ['mrow', ...children];
const sub = (base, index) => ['msub', base, index];
const sup = (base, power) => ['msup', base, power];
const frac = (numerator, denominator) => ['mfrac', numerator, denominator];
const paren = (...children) => row(mo('('), ...children, mo(')'));
const sumUnder = (under) => ['munder', mo('\u2211'), under];
const ij = row(mi('i'), mi('j'));
const apply = '\u2061';  // function application (invisible)

// S = s Q K^T / sqrt(d)
const logits = ['math', { display: 'block' },
  row(mi('S'), mo('='), frac(row(mi('s'), mi('Q'), sup(mi('K'), upright('T'))), ['msqrt', mi('d')]))];

// A_ij = exp(S_ij - m_i) / sum over allowed j' of exp(S_ij' - m_i), m_i = row max over allowed entries
const jPrime = sup(mi('j'), mo('\u2032'));
const softmax = ['math', { display: 'block' },
  row(
    sub(mi('A'), ij), mo('='),
    frac(
      row(mi('exp'), mo(apply), paren(sub(mi('S'), ij), mo('\u2212'), sub(mi('m'), mi('i')))),
      row(sumUnder(row(jPrime, ['mtext', '\u00a0', { i18n: 'math.allowed' }])),
        mi('exp'), mo(apply), paren(sub(mi('S'), row(mi('i'), jPrime)), mo('\u2212'), sub(mi('m'), mi('i'))))))];

// effective rank = exp(-sum_i p_i log p_i), p_i = s_i / sum_k s_k
const effectiveRank = ['math', { display: 'block' },
  row(
    mi('erank'), mo('='), mi('exp'), mo(apply),
    paren(mo('\u2212'), sumUnder(mi('i')), sub(mi('p'), mi('i')), mi('log'), mo(apply), sub(mi('p'), mi('i')))),
  mo(','), ['mspace', { width: '1em' }],
  row(sub(mi('p'), mi('i')), mo('='), frac(sub(mi('\u03c3'), mi('i')), row(sumUnder(mi('k')), sub(mi('\u03c3'), mi('k')))))];

// tol = s_1 n eps
const tolerance = ['math', { display: 'block' },
  row(mi('tol'), mo('='), sub(mi('\u03c3'), mn('1')), mo('\u2062'), mi('n'), mo('\u2062'), mi('\u03b5'))];

// det A = prod_i A_ii
const determinant = ['math', { display: 'block' },
  row(mi('det'), mo(apply), mi('A'), mo('='), ['munder', mo('\u220f'), mi('i')], sub(mi('A'), row(mi('i'), mi('i'))))];

export const formulas = Object.freeze({ logits, softmax, effectiveRank, tolerance, determinant });

// spec -> a MathML element of document (a <math> root when spec is one, or any MathML element).
export function buildMath(document, spec, { lang = 'en' } = {}) {
  if (!Array.isArray(spec) || !kTags.has(spec[0])) throw new TypeError(`buildMath: not a MathML spec: ${JSON.stringify(spec)?.slice(0, 80)}`);
  const [tag, ...rest] = spec;
  const element = document.createElementNS(kMathNamespace, tag);
  let children = rest;
  if (rest.length && rest[0] && typeof rest[0] === 'object' && !Array.isArray(rest[0]) && !('i18n' in rest[0])) {
    for (const [name, value] of Object.entries(rest[0])) element.setAttribute(name, String(value));
    children = rest.slice(1);
  }
  for (const child of children) {
    if (typeof child === 'string') element.append(document.createTextNode(child));
    else if (child && typeof child === 'object' && !Array.isArray(child) && 'i18n' in child) {
      element.append(document.createTextNode(t(lang, child.i18n)));
    } else element.append(buildMath(document, child, { lang }));
  }
  return element;
}

// The core's plain-text math (its claims' statements and labels: "Q K^T", "sqrt(d)", "<=", "phi", "A_ii",
// "n x d") typeset in Unicode as the page's prose writes it ("Q Kᵀ", "√d", "≤", "φ", "Aᵢᵢ", "n × d"), so a
// claim card reads like the paragraphs beside it. Only these forms are rewritten; any other text is kept.
const kPlainMath = [
  [/\^T\b/g, '\u1d40'],                                  // K^T, phi(K)^T -> Kᵀ
  [/\bsqrt\(([A-Za-z0-9]+)\)/g, '\u221a$1'],             // sqrt(d) -> √d
  [/<=/g, '\u2264'], [/>=/g, '\u2265'], [/!=/g, '\u2260'], [/>>/g, '\u226b'],
  [/\bphi\b/g, '\u03c6'],
  [/\bA_ii\b/g, 'A\u1d62\u1d62'],
  [/\b([a-z]) x ([a-z])\b/g, '$1 \u00d7 $2'],            // n x d -> n × d
  [/\bsum log\b/g, '\u03a3 log'],
  [/\blog10\b/g, 'log\u2081\u2080'],
  [/\belu\+1\b/g, 'elu + 1'],
];
export function typesetPlainMath(text) {
  return kPlainMath.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), String(text ?? ''));
}
