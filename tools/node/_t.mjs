import { get_encoding } from "tiktoken";
import { getEncoding } from "js-tiktoken";
import * as gt from "gpt-tokenizer/encoding/o200k_base";
const enc = get_encoding(process.argv[2] || "o200k_base");
const js = getEncoding("o200k_base");
let x = 12345; const r = () => (x = (x * 1103515245 + 12345) >>> 0) / 2**32;
const mk = (n, f) => { let s = ""; for (let i = 0; i < n; i++) s += f(); return s; };
const cases = {
  lower10k: mk(10000, () => String.fromCharCode(97 + Math.floor(r()*26))),
  mixed100k: mk(100000, () => String.fromCharCode((r()<0.5?65:97) + Math.floor(r()*26))),
  punct100k: mk(100000, () => "!#$%&()*+,-./:;<=>?@[]^_`{|}~"[Math.floor(r()*29)]),
  digits5k: mk(5000, () => String.fromCharCode(48 + Math.floor(r()*10))),
  spaces1500: " ".repeat(1500) + "x",
  rep100k: "a".repeat(100000),
  rep100kdigit: "7".repeat(100000),
};
const peers = [["wasm", t => enc.encode(t, undefined, []).length], ["gt", t => gt.encode(t, {disallowedSpecial: new Set()}).length]];
if (process.argv[3]) peers.push(["js", t => js.encode(t, [], []).length]);
for (const [k, s] of Object.entries(cases)) {
  for (const [name, f] of peers) {
    if (name === "js" && s.length > 10000) continue;
    const t0 = performance.now(); const n = f(s); const dt = performance.now() - t0;
    console.log(k, name, n, dt.toFixed(1) + " ms");
  }
}
