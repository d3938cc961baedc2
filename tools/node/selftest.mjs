#!/usr/bin/env node
// Checks the Node.js side of the parity tests on its own, with no ctxmem:
// the reference lines against values documented elsewhere, FNV-1a 64 against
// its published test vectors, and the corpus for determinism and the absence
// of lone surrogates. Prints one line per check; exit 1 on any failure.
//
//   node tools/node/selftest.mjs

import { generateCorpus } from "./corpus.mjs";
import { fnv1a64BytesHex, fnv1a64Hex, referenceLines } from "./reference_tokens.mjs";
import { createHash } from "node:crypto";

let failures = 0;
function check(name, ok, detail = "") {
  process.stdout.write(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ": " + detail : ""}\n`);
  if (!ok) failures++;
}

// FNV-1a 64 test vectors (Fowler/Noll/Vo's published table).
const bytes = (s) => new TextEncoder().encode(s);
check("fnv1a64('')", fnv1a64BytesHex(bytes("")) === "cbf29ce484222325");
check("fnv1a64('a')", fnv1a64BytesHex(bytes("a")) === "af63dc4c8601ec8c");
check("fnv1a64('foobar')", fnv1a64BytesHex(bytes("foobar")) === "85944171f73967e8");
// Ids are hashed as 4 little-endian bytes each: [0x64636261] is "abcd".
check("fnv1a64 over ids, little-endian", fnv1a64Hex([0x64636261]) === fnv1a64BytesHex(bytes("abcd")));
check("fnv1a64 over ids, high bytes", fnv1a64Hex([0xffffffff, 199999]) === fnv1a64BytesHex(new Uint8Array([255, 255, 255, 255, 0x3f, 0x0d, 0x03, 0x00])));

// Counts documented for o200k_base (conformance tests and the reference's docs).
const documented = [
  ["hello", "Hello world", 2],
  ["special-as-text", "something<|endoftext|>something", 9],
  ["x1000", "X".repeat(1000), 63],
  ["empty", "", 0],
];
const lines = referenceLines(documented.map(([id, text]) => ({ id, text })), "o200k_base", { withIds: true });
documented.forEach(([id, , count], i) => {
  const [, got] = lines[i].split(" ");
  check(`o200k_base ${id} -> ${count} tokens`, Number(got) === count, lines[i].split(" ").slice(0, 3).join(" "));
});
check("o200k_base 'Hello world' ids", lines[0].endsWith(" 13225,2375"), lines[0]);
check("empty text hashes to the offset basis", lines[3].startsWith("empty 0 cbf29ce484222325"), lines[3]);
// <|endoftext|> is ordinary text: no special id (199999 in o200k, 100257 in cl100k).
for (const enc of ["o200k_base", "cl100k_base"]) {
  const [l] = referenceLines([{ id: "s", text: "<|endoftext|><|im_start|><|endofprompt|>" }], enc, { withIds: true });
  const ids = l.split(" ")[3].split(",").map(Number);
  check(`${enc}: special-token strings stay ordinary text`, ids.length > 3 && !ids.includes(199999) && !ids.includes(100257), l);
}

// The corpus: deterministic, no lone surrogates, ids name categories.
const digest = (docs) => createHash("sha256").update(docs.map(([id, t]) => id + "\0" + t + "\0").join("")).digest("hex");
const a = generateCorpus({ seed: 7, sizeMb: 0.5, category: "all" });
const b = generateCorpus({ seed: 7, sizeMb: 0.5, category: "all" });
const c = generateCorpus({ seed: 8, sizeMb: 0.5, category: "all" });
check("corpus is deterministic for a seed", digest(a) === digest(b));
check("corpus differs across seeds", digest(a) !== digest(c));
const wellFormed = (s) => !/\p{Cs}/u.test(s); // with the u flag a surrogate class only matches unpaired halves
check("corpus has no lone surrogates", a.every(([, t]) => wellFormed(t)));
check("corpus ids are unique and space-free", new Set(a.map(([id]) => id)).size === a.length && a.every(([id]) => /^[a-z0-9-]+$/.test(id)));
const realistic = generateCorpus({ seed: 1, sizeMb: 2, category: "realistic" });
const textBytes = realistic.reduce((n, [, t]) => n + Buffer.byteLength(t), 0);
check("realistic corpus fills --size-mb", Math.abs(textBytes - 2e6) < 1, `${textBytes} bytes`);
const adversarial = generateCorpus({ seed: 1, category: "adversarial" });
const longest = Math.max(...adversarial.map(([, t]) => Buffer.byteLength(t)));
check("adversarial set has a 100 KB piece", longest === 100000 && adversarial.every(([id]) => id.startsWith("adv-")));

process.stdout.write(`selftest: ${failures ? failures + " failed" : "all passed"}\n`);
process.exit(failures ? 1 : 0);
