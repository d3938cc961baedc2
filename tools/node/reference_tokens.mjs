#!/usr/bin/env node
// The reference side of `ctxmem tokens` (../../shared docs: conformance.md §1):
// for each JSONL line {"id": ..., "text": ...} prints `<id> <count> <hash>`,
// where the ids come from npm tiktoken@1.0.22 (OpenAI's Rust core compiled to
// WASM) with no special tokens allowed, and <hash> is FNV-1a 64 over the ids,
// each as 4 bytes little-endian, as 16 lowercase hex digits.
//
//   node reference_tokens.mjs --encoding=o200k_base|cl100k_base --jsonl=FILE [--ids]
//
// --ids appends the token ids to each line (for finding where a mismatch starts).
//
// tiktoken's encode(text, allowed_special, disallowed_special) defaults to
// disallowed_special = "all", which throws on "<|endoftext|>" in the text. The
// reference assistant calls encode(text, undefined, []): nothing is allowed as
// special and nothing is disallowed, so special-token strings are encoded as
// ordinary text and never throw.

import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { get_encoding } from "tiktoken";

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

// FNV-1a 64 over the ids, each as 4 little-endian bytes, in BigInt arithmetic
// (exact by construction; a 2x32-bit split would need its own proof).
export function fnv1a64Hex(ids) {
  const bytes = new Uint8Array(ids.length * 4);
  const view = new DataView(bytes.buffer);
  ids.forEach((id, i) => view.setUint32(i * 4, id, true));
  return fnv1a64BytesHex(bytes);
}

export function fnv1a64BytesHex(bytes) {
  let h = FNV_OFFSET;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * FNV_PRIME) & MASK64;
  }
  return h.toString(16).padStart(16, "0");
}

// Parses a JSONL file into [{line, id, text}], failing with the line number on
// anything that is not {"id": string, "text": string}.
export function readJsonl(path) {
  const data = readFileSync(path, "utf8");
  const lines = data.split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop(); // the final newline
  return lines.map((line, i) => {
    let doc;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      throw new Error(`${path}:${i + 1}: not JSON: ${e.message}`);
    }
    if (doc === null || typeof doc !== "object" || typeof doc.id !== "string" || typeof doc.text !== "string") {
      throw new Error(`${path}:${i + 1}: expected {"id": string, "text": string}`);
    }
    if (/\s/.test(doc.id) || doc.id === "") throw new Error(`${path}:${i + 1}: id must be non-empty without whitespace`);
    return { line: i + 1, id: doc.id, text: doc.text };
  });
}

function main() {
  const { values } = parseArgs({
    options: {
      encoding: { type: "string", default: "o200k_base" },
      jsonl: { type: "string" },
      ids: { type: "boolean", default: false },
    },
  });
  if (!["o200k_base", "cl100k_base"].includes(values.encoding)) throw new Error(`unknown --encoding=${values.encoding}`);
  if (!values.jsonl) throw new Error("--jsonl=FILE is required");
  const lines = referenceLines(readJsonl(values.jsonl), values.encoding, { withIds: values.ids });
  process.stdout.write(lines.map((l) => l + "\n").join(""));
}

// The reference output lines (without "\n") for [{id, text}].
export function referenceLines(docs, encoding, { withIds = false } = {}) {
  const enc = get_encoding(encoding);
  try {
    return docs.map(({ id, text }) => {
      const ids = enc.encode(text, undefined, []);
      return `${id} ${ids.length} ${fnv1a64Hex(ids)}${withIds ? " " + ids.join(",") : ""}`;
    });
  } finally {
    enc.free();
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`reference_tokens: ${e.message}\n`);
    process.exit(1);
  }
}
