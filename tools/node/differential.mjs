#!/usr/bin/env node
// Differential test of `ctxmem tokens` against npm tiktoken@1.0.22: generates
// the corpus (corpus.mjs), computes the reference lines in-process
// (reference_tokens.mjs), runs `CTXMEM tokens --encoding=ENC --jsonl=FILE`,
// and compares the outputs line by line (conformance.md §1).
//
//   node differential.mjs [--encoding=o200k_base|cl100k_base|both] [--seed=1]
//                         [--size-mb=6] [--keep=DIR] CTXMEM
//
// Prints the number of documents compared and the first mismatches with both
// lines; --keep=DIR keeps the corpus, both outputs and mismatches.jsonl (the
// failing documents, to feed back to `ctxmem tokens` or reference_tokens.mjs
// --ids). Exit code: 0 when every line matches, 1 on a mismatch, 2 when ctxmem
// fails or the arguments are wrong.

import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync, openSync, closeSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { generateCorpus } from "./corpus.mjs";
import { referenceLines } from "./reference_tokens.mjs";

const SHOW = 5;

function usage(message) {
  process.stderr.write(`differential: ${message}\nusage: node differential.mjs [--encoding=o200k_base|cl100k_base|both] [--seed=1] [--size-mb=6] [--keep=DIR] CTXMEM\n`);
  process.exit(2);
}

function runCtxmem(ctxmem, encoding, jsonlPath, outPath) {
  const fd = openSync(outPath, "w");
  const t0 = performance.now();
  let r;
  try {
    r = spawnSync(ctxmem, ["tokens", `--encoding=${encoding}`, `--jsonl=${jsonlPath}`], { stdio: ["ignore", fd, "pipe"], maxBuffer: 1 << 26 });
  } finally {
    closeSync(fd);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) return { ok: false, why: `cannot run ${ctxmem}: ${r.error.message}` };
  const stderr = r.stderr.toString().trim();
  if (r.status !== 0) {
    const how = r.signal ? `was killed by ${r.signal}` : `exited with ${r.status}`;
    return { ok: false, why: `ctxmem tokens --encoding=${encoding} ${how}${stderr ? ": " + stderr.split("\n").slice(0, 5).join(" | ") : ""}` };
  }
  return { ok: true, seconds, lines: readFileSync(outPath, "utf8").split("\n").filter((l, i, a) => i < a.length - 1 || l !== "") };
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      encoding: { type: "string", default: "both" },
      seed: { type: "string", default: "1" },
      "size-mb": { type: "string", default: "6" },
      keep: { type: "string" },
    },
  });
  if (positionals.length !== 1) usage("expected the path of the ctxmem binary");
  const ctxmem = resolve(positionals[0]);
  if (!existsSync(ctxmem)) usage(`no ctxmem binary at ${ctxmem}`);
  const encodings = values.encoding === "both" ? ["o200k_base", "cl100k_base"] : [values.encoding];
  for (const e of encodings) if (!["o200k_base", "cl100k_base"].includes(e)) usage(`unknown encoding ${e}`);

  const dir = values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), "ctxmem-differential-"));
  mkdirSync(dir, { recursive: true });
  let failed = false, broken = false;
  try {
    const docs = generateCorpus({ seed: Number(values.seed), sizeMb: Number(values["size-mb"]), category: "all" }).map(([id, text]) => ({ id, text }));
    const jsonlPath = join(dir, "corpus.jsonl");
    const jsonl = docs.map((d) => JSON.stringify(d) + "\n").join("");
    writeFileSync(jsonlPath, jsonl);
    process.stdout.write(`corpus: ${docs.length} documents, ${(Buffer.byteLength(jsonl) / 1e6).toFixed(2)} MB of JSONL (seed ${values.seed}, --size-mb=${values["size-mb"]}) in ${jsonlPath}\n`);

    for (const encoding of encodings) {
      const t0 = performance.now();
      const want = referenceLines(docs, encoding);
      const refSeconds = (performance.now() - t0) / 1000;
      writeFileSync(join(dir, `reference.${encoding}.txt`), want.map((l) => l + "\n").join(""));
      const got = runCtxmem(ctxmem, encoding, jsonlPath, join(dir, `ctxmem.${encoding}.txt`));
      if (!got.ok) {
        process.stdout.write(`FAIL tiktoken differential (${encoding}): ${got.why}\n`);
        broken = true;
        continue;
      }
      const mismatches = [];
      for (let i = 0; i < Math.max(want.length, got.lines.length); i++) {
        if (want[i] !== got.lines[i]) mismatches.push(i);
      }
      const compared = Math.min(want.length, got.lines.length);
      if (mismatches.length) {
        failed = true;
        process.stdout.write(`FAIL tiktoken differential (${encoding}): ${mismatches.length} of ${want.length} documents differ` +
          (got.lines.length !== want.length ? ` (ctxmem printed ${got.lines.length} lines for ${want.length} documents)` : "") + "\n");
        for (const i of mismatches.slice(0, SHOW)) {
          const doc = docs[i];
          const head = doc ? JSON.stringify(Array.from(doc.text).slice(0, 60).join("")) : "(no such document)";
          process.stdout.write(`  line ${i + 1}: ${doc ? doc.id : "?"} (${doc ? Buffer.byteLength(doc.text) : 0} bytes, starts ${head})\n` +
            `    tiktoken: ${want[i] ?? "(no line)"}\n    ctxmem:   ${got.lines[i] ?? "(no line)"}\n`);
        }
        writeFileSync(join(dir, `mismatches.${encoding}.jsonl`), mismatches.filter((i) => docs[i]).map((i) => JSON.stringify(docs[i]) + "\n").join(""));
      } else {
        process.stdout.write(`PASS tiktoken differential (${encoding}): ${compared} documents compared, all equal ` +
          `(tiktoken WASM ${refSeconds.toFixed(2)} s, ctxmem ${got.seconds.toFixed(2)} s)\n`);
      }
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`kept ${dir}\n`);
  }
  process.exit(broken ? 2 : failed ? 1 : 0);
}

try {
  main();
} catch (e) {
  process.stderr.write(`differential: ${e.stack || e.message}\n`);
  process.exit(2);
}
