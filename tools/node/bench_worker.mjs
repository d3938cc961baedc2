// One measurement of bench_peers.mjs, run in a worker thread so that a peer
// that takes hours on a long piece can be stopped. Posts {ready} once the
// peer is loaded (the time limit starts then), one {rep} per timed pass, and
// {done}.

import { parentPort, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { loadPeer } from "./peers.mjs";

const { peer: name, encoding, texts, warmup, reps } = workerData;
const peer = await loadPeer(name, encoding);
peer.encode("warm up the code paths: Hello world, 12345, <|endoftext|> \u4e2d\u6587 \ud83d\ude00\n");
parentPort.postMessage({ ready: true, version: peer.version });
const pass = () => {
  let tokens = 0;
  const t0 = performance.now();
  for (const t of texts) tokens += peer.encode(t).length;
  return { seconds: (performance.now() - t0) / 1000, tokens };
};
for (let i = 0; i < warmup; i++) pass();
for (let i = 0; i < reps; i++) parentPort.postMessage({ rep: pass() });
peer.free();
parentPort.postMessage({ done: true });
