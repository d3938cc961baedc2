#!/usr/bin/env node
// Sanity check of the reference pipeline: encodes every document of a corpus
// with npm tiktoken (the reference) and with another npm tokenizer, and
// reports the documents whose token ids differ. Two independent
// implementations agreeing on a corpus says the corpus reaches the tokenizers
// intact; where they disagree, tiktoken is right by definition and the
// difference is the peer's.
//
//   node crosscheck_peers.mjs [--peer=gpt-tokenizer|js-tiktoken] [--encoding=o200k_base] --jsonl=FILE
//
// js-tiktoken takes hours on the 100 KB single pieces (its merge loop is
// worse than quadratic), so --skip=REGEX leaves documents out by id
// (default for js-tiktoken: ^adv-).
// Exit code: 0 when every compared document agrees, 1 otherwise.

import { parseArgs } from "node:util";
import { readJsonl } from "./reference_tokens.mjs";
import { loadPeer } from "./peers.mjs";

const { values } = parseArgs({
  options: {
    peer: { type: "string", default: "gpt-tokenizer" },
    encoding: { type: "string", default: "o200k_base" },
    jsonl: { type: "string" },
    skip: { type: "string" },
    show: { type: "string", default: "5" },
  },
});
if (!values.jsonl) {
  process.stderr.write("crosscheck_peers: --jsonl=FILE is required\n");
  process.exit(2);
}
const skip = new RegExp(values.skip ?? (values.peer === "js-tiktoken" ? "^adv-" : "^$-never"));
const reference = await loadPeer("tiktoken", values.encoding);
const peer = await loadPeer(values.peer, values.encoding);

let compared = 0, skipped = 0;
const mismatches = [];
for (const { id, text } of readJsonl(values.jsonl)) {
  if (skip.test(id)) { skipped++; continue; }
  const want = Array.from(reference.encode(text));
  const got = Array.from(peer.encode(text));
  compared++;
  if (want.length === got.length && want.every((t, i) => t === got[i])) continue;
  let at = 0;
  while (at < want.length && want[at] === got[at]) at++;
  mismatches.push({ id, want: want.length, got: got.length, at, text });
}
const show = Number(values.show);
for (const m of mismatches.slice(0, show)) {
  const context = JSON.stringify(Array.from(m.text).slice(0, 80).join(""));
  process.stdout.write(`MISMATCH ${m.id}: tiktoken ${m.want} tokens, ${values.peer} ${m.got}, first difference at token ${m.at}; text starts ${context}\n`);
}
process.stdout.write(`crosscheck ${values.peer} vs tiktoken (${values.encoding}): ${compared} documents compared, ${skipped} skipped, ${mismatches.length} differ\n`);
process.exit(mismatches.length ? 1 : 0);
