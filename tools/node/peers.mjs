// The npm tokenizers ctxmem is compared with, behind one interface:
// peer.encode(text) -> token ids, with no special tokens allowed (special-token
// strings in the text are ordinary text), exactly as reference_tokens.mjs uses
// tiktoken. Shared by bench_peers.mjs and crosscheck_peers.mjs.

import { readFileSync } from "node:fs";
import { get_encoding } from "tiktoken";
import { getEncoding } from "js-tiktoken";

// Not require(`${pkg}/package.json`): tiktoken's "exports" does not list it.
const version = (pkg) => JSON.parse(readFileSync(new URL(`node_modules/${pkg}/package.json`, import.meta.url), "utf8")).version;

export const peerNames = ["tiktoken", "js-tiktoken", "gpt-tokenizer"];

export async function loadPeer(name, encoding) {
  switch (name) {
    case "tiktoken": {
      // OpenAI's Rust core compiled to WASM; the reference itself.
      const enc = get_encoding(encoding);
      return { name, version: version("tiktoken"), encode: (text) => enc.encode(text, undefined, []), free: () => enc.free() };
    }
    case "js-tiktoken": {
      // Pure JavaScript port; disallowedSpecial defaults to "all" (throws).
      const enc = getEncoding(encoding);
      return { name, version: version("js-tiktoken"), encode: (text) => enc.encode(text, [], []), free: () => {} };
    }
    case "gpt-tokenizer": {
      // Pure JavaScript with an LRU merge cache (its default, 100,000 entries).
      const mod = await import(`gpt-tokenizer/encoding/${encoding}`);
      const options = { disallowedSpecial: new Set() };
      return { name, version: version("gpt-tokenizer"), encode: (text) => mod.encode(text, options), free: () => mod.clearMergeCache() };
    }
    default:
      throw new Error(`unknown peer ${name} (known: ${peerNames.join(", ")})`);
  }
}
