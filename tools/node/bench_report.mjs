// Puts ctxmem's tokenizer figures beside the npm peers' for the same corpus:
// reads bench_peers.mjs --json output and the Google Benchmark JSON of
// //context/tokenizer:encoding_benchmark, prints MB/s and ratios.
//
//   node tools/node/bench_report.mjs --peers=peers.json --ctxmem=ctxmem.json
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { peers: { type: "string" }, ctxmem: { type: "string" } } });
const peers = JSON.parse(readFileSync(values.peers, "utf8"));
const ours = JSON.parse(readFileSync(values.ctxmem, "utf8"));

// Median aggregate if repetitions were run, else the single run.
const runs = new Map();
for (const b of ours.benchmarks) {
  const name = b.run_name ?? b.name;
  if (b.aggregate_name && b.aggregate_name !== "median") continue;
  if (!runs.has(name) || b.aggregate_name === "median") runs.set(name, b);
}
const mbps = (b) => b.bytes_per_second / 1e6;
const realistic = runs.get("BM_CountRealistic_O200k/real_time/threads:1");
const twoThreads = runs.get("BM_CountRealistic_O200k/real_time/threads:2");
if (!realistic) throw new Error("ctxmem JSON lacks BM_CountRealistic_O200k/real_time/threads:1");
const oursMb = mbps(realistic);
const fmt = (x, d = 2) => x.toFixed(d);

console.log(`o200k_base, realistic corpus (${peers.realisticDocuments} documents, ${fmt(peers.realisticBytes / 1e6)} MB), single thread:`);
console.log(`  ctxmem               ${fmt(oursMb, 1).padStart(7)} MB/s  ${fmt(realistic["tokens/s"] / 1e6)} M tokens/s`);
for (const p of peers.peers) {
  const r = p.realistic;
  console.log(`  ${(p.name + "@" + p.version).padEnd(20)} ${fmt(r.mbPerS, 1).padStart(7)} MB/s  ${fmt(r.tokensPerS / 1e6)} M tokens/s   ctxmem/peer = ${fmt(oursMb / r.mbPerS, 1)}x`);
}
if (twoThreads) {
  // Google Benchmark reports a threaded run's rate summed over the threads.
  console.log(`  ctxmem, 2 threads:   ${fmt(mbps(twoThreads), 1)} MB/s in all (${fmt(mbps(twoThreads) / oursMb)}x one thread)`);
}
console.log(`\nadversarial documents (MB/s; ctxmem's figure as a share of its realistic one):`);
const names = peers.peers.map((p) => p.name);
console.log(`  ${"document".padEnd(28)} ${"ctxmem".padStart(8)} ${"share".padStart(6)} ${names.map((n) => n.padStart(14)).join("")}`);
const advIds = peers.peers[0]?.adversarial.map((a) => a.id) ?? [];
for (const id of advIds) {
  const b = runs.get(`BM_AdversarialDocument_O200k/${id}`);
  const cells = peers.peers.map((p) => {
    const a = p.adversarial.find((x) => x.id === id);
    return (a.timedOut ? `<${fmt(a.mbPerSAtMost, 3)}` : fmt(a.mbPerS, 3)).padStart(14);
  });
  const ourCell = b ? fmt(mbps(b), 1) : "n/a";
  const share = b ? `${Math.round((100 * mbps(b)) / oursMb)}%` : "";
  console.log(`  ${id.padEnd(28)} ${ourCell.padStart(8)} ${share.padStart(6)} ${cells.join("")}`);
}
