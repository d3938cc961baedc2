#!/usr/bin/env node
// Single-thread throughput of the npm tokenizers ctxmem competes with, on the
// corpus of corpus.mjs: npm tiktoken (OpenAI's Rust core as WASM), js-tiktoken
// (pure JavaScript) and gpt-tokenizer (pure JavaScript with its default LRU
// merge cache). Every peer encodes with no special tokens allowed, as the
// reference does, and returns the token ids (no count-only shortcuts).
//
//   node bench_peers.mjs [--encoding=o200k_base|cl100k_base] [--seed=1] [--size-mb=6]
//                        [--reps=5] [--warmup=1] [--adv-reps=1] [--adv-timeout-s=30]
//                        [--peers=tiktoken,js-tiktoken,gpt-tokenizer] [--no-adversarial]
//                        [--filter=ID-REGEX] [--json]
//
// realistic:   every realistic document, one pass = all of them in order;
//              --warmup untimed passes, then --reps timed passes; the median
//              pass gives MB/s (10^6 UTF-8 bytes of text per second) and tokens/s.
//              gpt-tokenizer's merge cache is warm after the warm-up pass, as
//              in an assistant that re-counts a growing history.
// adversarial: each long single piece timed on its own (--adv-reps passes,
//              median), in a worker that is stopped after --adv-timeout-s; a
//              peer that needs longer is reported as "> N s" (js-tiktoken's
//              merge loop takes hours on 100 KB).
// --filter keeps only the realistic documents whose id matches (e.g. ^prose-).
// --json prints one JSON object (schema in the "format" field) for a C++
// runner to put ctxmem's figures beside.

import { Worker } from "node:worker_threads";
import { parseArgs } from "node:util";
import os from "node:os";
import { peerNames } from "./peers.mjs";
import { generateCorpus } from "./corpus.mjs";

const utf8Length = (s) => Buffer.byteLength(s, "utf8");
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

// ---------------------------------------------------------------- main side

// Runs one measurement in a worker (bench_worker.mjs); resolves with the
// timed passes, or with {timedOut} when the passes needed longer than
// timeoutMs after the peer was loaded (the worker is then terminated).
function measure({ peer, encoding, texts, warmup, reps, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./bench_worker.mjs", import.meta.url), { workerData: { peer, encoding, texts, warmup, reps } });
    const passes = [];
    let settled = false, timer = null, version = null;
    const finish = (value, error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.terminate().finally(() => (error ? reject(error) : resolve({ ...value, version })));
    };
    worker.on("message", (m) => {
      if (m.ready) {
        version = m.version;
        if (timeoutMs) timer = setTimeout(() => finish({ passes, timedOut: true }), timeoutMs);
      }
      if (m.rep) passes.push(m.rep);
      if (m.done) finish({ passes, timedOut: false });
    });
    worker.on("error", (e) => finish(null, e));
    worker.on("exit", (code) => finish(null, new Error(`worker for ${peer} exited with code ${code}`)));
  });
}

function summarize(bytes, passes) {
  const seconds = median(passes.map((p) => p.seconds));
  const tokens = passes[0].tokens;
  return { bytes, tokens, seconds, mbPerS: bytes / 1e6 / seconds, tokensPerS: tokens / seconds, passes: passes.map((p) => p.seconds) };
}

function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) => cells.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]))).join("  ");
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c])))].join("\n");
}

async function main() {
  const { values } = parseArgs({
    options: {
      encoding: { type: "string", default: "o200k_base" },
      seed: { type: "string", default: "1" },
      "size-mb": { type: "string", default: "6" },
      reps: { type: "string", default: "5" },
      warmup: { type: "string", default: "1" },
      "adv-reps": { type: "string", default: "1" },
      "adv-timeout-s": { type: "string", default: "30" },
      peers: { type: "string", default: peerNames.join(",") },
      json: { type: "boolean", default: false },
      "no-adversarial": { type: "boolean", default: false },
      filter: { type: "string" },
    },
  });
  const encoding = values.encoding;
  const peers = values.peers.split(",").filter(Boolean);
  const reps = Number(values.reps), warmup = Number(values.warmup);
  const advReps = Number(values["adv-reps"]), advTimeoutS = Number(values["adv-timeout-s"]);
  const log = values.json ? () => {} : (s) => process.stderr.write(s + "\n");

  const docs = generateCorpus({ seed: Number(values.seed), sizeMb: Number(values["size-mb"]), category: "all" });
  const keep = values.filter ? new RegExp(values.filter) : /(?:)/;
  const realistic = docs.filter(([id]) => !id.startsWith("adv-") && keep.test(id)).map(([, t]) => t);
  const adversarial = values["no-adversarial"] ? [] : docs.filter(([id]) => id.startsWith("adv-"));
  const realisticBytes = realistic.reduce((a, t) => a + utf8Length(t), 0);

  const result = {
    format: "ctxmem-bench-peers/1: per peer, realistic {bytes,tokens,seconds(median),mbPerS,tokensPerS,passes} and adversarial[] {id,bytes,tokens,seconds,mbPerS,tokensPerS} or {id,bytes,timedOut,seconds(lower bound)}",
    encoding, seed: Number(values.seed), sizeMb: Number(values["size-mb"]), reps, warmup, advReps, advTimeoutS,
    machine: { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, node: process.version, loadavg: os.loadavg() },
    filter: values.filter ?? null, realisticDocuments: realistic.length, realisticBytes,
    peers: [],
  };

  for (const name of peers) {
    log(`${name}: realistic, ${realistic.length} documents, ${(realisticBytes / 1e6).toFixed(2)} MB, ${warmup} warm-up + ${reps} passes`);
    const r = await measure({ peer: name, encoding, texts: realistic, warmup, reps, timeoutMs: 0 });
    const entry = { name, version: r.version, realistic: summarize(realisticBytes, r.passes), adversarial: [] };
    for (const [id, text] of adversarial) {
      const bytes = utf8Length(text);
      const a = await measure({ peer: name, encoding, texts: [text], warmup: 0, reps: advReps, timeoutMs: advTimeoutS * 1000 });
      if (a.passes.length === advReps) {
        entry.adversarial.push({ id, ...summarize(bytes, a.passes) });
      } else {
        entry.adversarial.push({ id, bytes, timedOut: true, seconds: advTimeoutS, mbPerSAtMost: bytes / 1e6 / advTimeoutS });
      }
      const last = entry.adversarial[entry.adversarial.length - 1];
      log(`  ${id}: ${last.timedOut ? `> ${advTimeoutS} s` : `${last.seconds.toFixed(3)} s`}`);
    }
    result.peers.push(entry);
  }

  if (values.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    return;
  }
  const fmt = (x, d) => x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  process.stdout.write(`encoding ${encoding}, realistic corpus ${fmt(realisticBytes / 1e6, 2)} MB in ${realistic.length} documents (seed ${result.seed}), ` +
    `median of ${reps} passes after ${warmup} warm-up; ${result.machine.cpu}, node ${process.version}, load ${result.machine.loadavg.map((x) => x.toFixed(1)).join(" ")}\n\n`);
  process.stdout.write(table(result.peers.map((p) => ({
    peer: `${p.name}@${p.version}`,
    "MB/s": fmt(p.realistic.mbPerS, 2),
    "tokens/s": fmt(Math.round(p.realistic.tokensPerS), 0),
    tokens: fmt(p.realistic.tokens, 0),
    "median s": fmt(p.realistic.seconds, 3),
  })), ["peer", "MB/s", "tokens/s", "tokens", "median s"]) + "\n\n");
  if (!adversarial.length) return;
  process.stdout.write(`adversarial single pieces, MB/s (seconds), median of ${advReps}, cut off after ${advTimeoutS} s:\n\n`);
  const advRows = adversarial.map(([id, text]) => {
    const row = { document: id, KB: fmt(utf8Length(text) / 1000, 1) };
    for (const p of result.peers) {
      const a = p.adversarial.find((x) => x.id === id);
      row[p.name] = a.timedOut ? `< ${fmt(a.mbPerSAtMost, 4)} (> ${advTimeoutS} s)` : `${fmt(a.mbPerS, 3)} (${fmt(a.seconds, 3)} s)`;
    }
    return row;
  });
  process.stdout.write(table(advRows, ["document", "KB", ...result.peers.map((p) => p.name)]) + "\n");
}

main().catch((e) => {
  process.stderr.write(`bench_peers: ${e.stack || e.message}\n`);
  process.exit(1);
});
