// Differential check of ctxmem's JSON layer against Node.js.
//
// Generates random JSON texts (and broken variants of them) and compares
// Node's JSON.stringify(JSON.parse(x)) with //context/json:json_roundtrip
// on every one: the same bytes out, or both rejecting the text. Exits 1 on
// any difference, printing the first few.
//
//   bazel build //context/json:json_roundtrip
//   node context/json/tools/differential.mjs --bin=bazel-bin/context/json/json_roundtrip \
//       [--count=5000] [--seed=1]
//
// The texts stress what JavaScript does its own way: integer-like keys
// (with leading zeros, past 2^32 - 2, written with escapes), duplicate keys,
// "__proto__", numbers of every magnitude and spelling (big integers,
// subnormals, overflow to Infinity, underflow to 0, halfway cases, leading
// zeros in exponents), strings with controls, escapes, raw U+2028, surrogate
// pairs and lone surrogates written as escapes, and random whitespace.
// Texts are always valid UTF-8 (ctxmem rejects invalid UTF-8, which Node
// would have replaced by U+FFFD before parsing; unit tests cover that).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (!m) throw new Error(`bad argument ${a}`);
    return [m[1], m[2]];
  }),
);
const bin = args.bin ?? 'bazel-bin/context/json/json_roundtrip';
const count = Number(args.count ?? 5000);
let seed = Number(args.seed ?? 1);
if (!existsSync(bin)) {
  console.error(`differential: no json_roundtrip at ${bin} (pass --bin=PATH)`);
  process.exit(2);
}

// xorshift32: the same texts for the same seed.
let state = seed >>> 0 || 1;
function rand() {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 4294967296;
}
const int = (n) => Math.floor(rand() * n);
const pick = (xs) => xs[int(xs.length)];
const digits = (n, first = '0123456789') => {
  let s = pick(first.split(''));
  for (let i = 1; i < n; i++) s += String(int(10));
  return s;
};
const hex4 = (u) => {
  const h = u.toString(16).padStart(4, '0');
  return rand() < 0.5 ? h : h.toUpperCase();
};

function randomDouble() {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setUint32(0, int(4294967296));
  buf.setUint32(4, int(4294967296));
  return buf.getFloat64(0);
}

const NUMBER_CONSTANTS = [
  '0', '-0', '0.0', '-0.0', '1.0', '1.50', '0e0', '-0E-0', '0e400', '-0.000e99999',
  '5e-324', '-5e-324', '2e-324', '2.4703282292062328e-324', '2.4703282292062327e-324',
  '3e-324', '4.9406564584124654e-324', '2.2250738585072011e-308', '2.2250738585072014e-308',
  '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308',
  '1e308', '1e309', '1e400', '-1e400', '1E+400', '1e-400', '123e-20', '1e21', '1E21',
  '999999999999999999999', '100000000000000000000', '1e-7', '0.000001', '0.0000001',
  '9007199254740993', '9007199254740992', '-9007199254740993', '18446744073709551616',
  '123456789012345678901234567890', '1.00000000000000011102230246251565404236316680908203125',
  '1.00000000000000011102230246251565404236316680908203124', '0.1', '0.2', '0.30000000000000004',
  '4294967294', '4294967295', '1e0000000000000000021', '1e-0000007',
];

function numberText() {
  switch (int(11)) {
    case 0: return pick(NUMBER_CONSTANTS);
    case 1: return String(int(2001) - 1000);
    case 2: return (rand() < 0.3 ? '-' : '') + digits(1 + int(40), '123456789');
    case 3: return (rand() < 0.3 ? '-' : '') + (rand() < 0.4 ? '0' : digits(1 + int(6), '123456789')) +
      '.' + digits(1 + int(25));
    case 4: {
      const mantissa = (rand() < 0.5 ? '' : '-') + (rand() < 0.3 ? '0' : digits(1 + int(20), '123456789')) +
        (rand() < 0.5 ? '.' + digits(1 + int(20)) : '');
      const exp = int(801) - 400;
      const sign = exp < 0 ? '-' : pick(['', '+']);
      return mantissa + pick(['e', 'E']) + sign + '0'.repeat(rand() < 0.1 ? int(3) : 0) + Math.abs(exp);
    }
    case 5: case 6: {
      const d = randomDouble();
      if (!Number.isFinite(d)) return '1';
      return String(d);  // JavaScript's own shortest form is valid JSON
    }
    case 7: {
      const d = randomDouble();
      if (!Number.isFinite(d)) return '2';
      return rand() < 0.5 ? d.toPrecision(1 + int(21)) : d.toExponential(int(21));
    }
    case 8: return (rand() * Math.pow(10, int(40) - 20)).toPrecision(1 + int(20));
    case 9: return (rand() < 0.5 ? '-' : '') + digits(290 + int(40), '123456789');
    default: return String(rand() * 1e-310);  // subnormals
  }
}

const RAW_CHARS = ['a', 'b', 'z', ' ', '~', '\'', 'é', '中', '😀', '\u2028', '\u2029', '\u007f', '\u00a0', '\ufeff', '\uffff', '𝄞'];
function stringText() {
  let s = '"';
  const n = int(rand() < 0.1 ? 40 : 8);
  for (let i = 0; i < n; i++) {
    switch (int(12)) {
      case 0: case 1: case 2: s += pick(RAW_CHARS); break;
      case 3: s += pick(['\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t']); break;
      case 4: s += '\\u' + hex4(int(0x20)); break;  // controls
      case 5: s += '\\u' + hex4(int(0x10000)); break;  // any unit, surrogates too
      case 6: {  // a surrogate pair as escapes
        s += '\\u' + hex4(0xd800 + int(0x400)) + '\\u' + hex4(0xdc00 + int(0x400));
        break;
      }
      case 7: s += '\\u' + hex4(0xd800 + int(0x400)); break;  // lone high
      case 8: s += '\\u' + hex4(0xdc00 + int(0x400)); break;  // lone low
      case 9: s += '\\u' + hex4(0xd800 + int(0x400)) + '\\\\u' + hex4(0xdc00 + int(0x400)); break;
      case 10: s += '\\u' + pick(['2028', '2029', '007f', '0022', '005c', '002f', 'fffd', 'FEFF']); break;
      default: s += String.fromCharCode(0x20 + int(0x5f)).replace(/["\\]/, 'q');
    }
  }
  return s + '"';
}

const KEYS = ['"0"', '"1"', '"2"', '"10"', '"01"', '"00"', '"-1"', '"1.5"', '"4294967294"', '"4294967295"',
  '"4294967296"', '"9007199254740993"', '"a"', '"b"', '"k"', '"__proto__"', '"constructor"', '"toString"',
  '"length"', '""', '" "', '"\\u0030"', '"\\u0031\\u0030"', '"\\ud800"', '"é"', '"1e3"', '"+1"', '" 1"'];
function keyText() {
  switch (int(4)) {
    case 0: return '"' + int(rand() < 0.5 ? 20 : 5000000000) + '"';
    case 1: return stringText();
    default: return pick(KEYS);
  }
}

const ws = () => (rand() < 0.7 ? '' : pick([' ', '\n', '\t', '\r\n', '  ', ' \t\n\r ']));

function valueText(depth) {
  const r = rand();
  if (depth > 5 || r < 0.45) {
    const s = rand();
    if (s < 0.1) return pick(['null', 'true', 'false']);
    if (s < 0.55) return numberText();
    return stringText();
  }
  if (r < 0.7) {
    const n = int(rand() < 0.1 ? 30 : 6);
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(ws() + valueText(depth + 1) + ws());
    return '[' + parts.join(',') + ws() + ']';
  }
  const n = int(rand() < 0.1 ? 40 : 7);
  const keys = n > 10 ? null : [];
  const parts = [];
  for (let i = 0; i < n; i++) {
    // Reuse earlier keys often, so duplicates are common.
    const key = keys && keys.length && rand() < 0.3 ? pick(keys) : keyText();
    if (keys) keys.push(key);
    parts.push(ws() + key + ws() + ':' + ws() + valueText(depth + 1) + ws());
  }
  return '{' + parts.join(',') + ws() + '}';
}

// A broken (or, by chance, still valid) variant; mutates whole code points
// so the text stays well-formed.
const INSERTS = [',', ']', '}', '[', '{', '"', '\\', ':', '0', '-', '.', 'e', 'x', ' ', '\u0001', '\t', '\n', '00'];
function mutate(text) {
  const cps = Array.from(text);
  const at = int(cps.length + 1);
  switch (int(4)) {
    case 0: cps.splice(at, 1); break;
    case 1: cps.splice(at, 0, pick(INSERTS)); break;
    case 2: cps.length = at; break;
    default: cps.splice(at, 1, pick(INSERTS));
  }
  return cps.join('');
}

const texts = [];
for (let i = 0; i < count; i++) {
  const text = ws() + valueText(0) + ws();
  texts.push(rand() < 0.3 ? mutate(text) : text);
}

// Node's answers.
const expected = texts.map((t) => {
  try {
    return { ok: true, out: Buffer.from(JSON.stringify(JSON.parse(t)), 'utf8') };
  } catch (e) {
    return { ok: false, out: Buffer.from(e.message, 'utf8') };
  }
});

// ctxmem's answers, all records in one run.
const records = [];
for (const t of texts) {
  const b = Buffer.from(t, 'utf8');
  records.push(Buffer.from(`${b.length}\n`), b);
}
const run = spawnSync(bin, [], { input: Buffer.concat(records), maxBuffer: 1 << 30 });
if (run.status !== 0) {
  console.error(`differential: ${bin} exited ${run.status}: ${run.stderr}`);
  process.exit(2);
}
const output = run.stdout;
const actual = [];
for (let pos = 0; pos < output.length;) {
  const nl = output.indexOf(10, pos);
  const len = Number(output.subarray(pos, nl).toString());
  actual.push(output.subarray(nl + 1, nl + 1 + len));
  pos = nl + 1 + len;
}
if (actual.length !== texts.length) {
  console.error(`differential: ${actual.length} answers for ${texts.length} texts`);
  process.exit(2);
}

let differences = 0;
let accepted = 0;
for (let i = 0; i < texts.length; i++) {
  const e = expected[i];
  const a = actual[i];
  const rejected = a.length > 0 && a[0] === 0x21 /* ! */;
  let same;
  if (e.ok) {
    accepted++;
    same = !rejected && a.equals(e.out);
  } else {
    same = rejected;
  }
  if (!same) {
    differences++;
    if (differences <= 5) {
      console.error(`difference #${differences} on text ${i} (seed ${seed}):`);
      console.error(`  input:  ${JSON.stringify(texts[i])}`);
      console.error(`  node:   ${e.ok ? '' : 'throws '}${e.out.toString()}`);
      console.error(`  ctxmem: ${a.toString()}`);
    }
  }
}
console.log(`differential: ${texts.length} texts (${accepted} valid, ${texts.length - accepted} rejected by Node), ` +
  `${differences} differences (seed ${seed})`);
process.exit(differences === 0 ? 0 : 1);
