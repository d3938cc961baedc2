// Regenerates testdata/golden_ids.tsv: token ids that npm tiktoken@1.0.22 (the
// reference assistant's tokenizer) gives for a fixed set of tricky strings.
// The C++ test reads the file, so the unit tests need no Node.js.
//
//   node context/tokenizer/tools/make_golden.mjs > context/tokenizer/testdata/golden_ids.tsv
// (run from the repository root after `npm ci --prefix tools/node`).
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../../tools/node/package.json', import.meta.url));
const { get_encoding } = require('tiktoken');

const cases = [
  'Hello world', 'Test', 'This is a text block with 36 characters', 'X'.repeat(1000),
  'something<|endoftext|>something', '<|endoftext|><|fim_prefix|><|endofprompt|>',
  'You are a helpful assistant.', "I'm sure we'll see they've done it, haven't they'd",
  "I'M SURE WE'LL SEE THEY'VE DONE IT", "don\u2019t 'ſ 'S 'Ll x's", "'s's's",
  '  leading and trailing   ', 'tabs\tand\t\ttabs', 'a\r\nb\r\n\r\nc\rd\n', '  \n\n  x',
  'trailing spaces   ', '\u00a0\u00a0nbsp\u3000ideographic\u0085nel\ufeffbom\u200bzwsp',
  '1 12 123 1234 12345 123456789012', '3.14159 -42 1e10 0x1F', '\u0661\u0662\u0663 \u0967\u0968',
  '你好，世界！这是一个测试。', '日本語のテキストとカタカナ', '한국어 텍스트입니다', 'Привет, мир! Ёлка',
  'مرحبا بالعالم', 'שלום עולם', 'नमस्ते दुनिया', 'สวัสดีชาวโลก', 'Γειά σου Κόσμε',
  '👩‍💻 👨‍👩‍👧‍👦 👍🏽 🏳️‍🌈 😀😀😀', 'e\u0301 a\u0308 \u0301start', 'ǅungla ǈ Ǌ',
  'ʰʲʷ ˈstress', 'CamelCaseIdentifierHTTPServer XMLHttpRequest', 'snake_case_name = value;',
  'if (x == 1) {\n    return foo(bar, baz);\n}\n', 'def f(x):\n\treturn x**2  # square\n',
  '{"key": "value", "n": [1, 2, 3], "nested": {"a": null}}', '<tool_call><name>read_file</name></tool_call>',
  'path/to/some/file.ts:12:5 error TS2345', '\u001b[31mred\u001b[0m text', '=====\n-----\n/////\n',
  '!!!???...,,,', ' ?!\r\n/', 'a' + ' '.repeat(20) + 'b', ' '.repeat(1500), '7'.repeat(5000),
  'x'.repeat(3000), 'ab'.repeat(2000), '\n'.repeat(50), '\t \t \n \t', 'ÀÉÎÕÜ àéîõü ßẞ',
  'Ω≈ç√∫˜µ≤≥÷', '∀x∈ℝ: x²≥0', '©®™ §¶ †‡', 'mixedCASEwithNumbers123and456', 'a1b2c3',
  'https://example.com/path?query=1&b=2#frag', 'user@example.com', '$HOME/.config && ls -la | grep foo',
];

for (const name of ['o200k_base', 'cl100k_base']) {
  const enc = get_encoding(name);
  for (const text of cases) {
    const ids = Array.from(enc.encode(text, undefined, []));
    process.stdout.write(`${name}\t${escape(text)}\t${ids.join(' ')}\n`);
  }
  enc.free();
}

// C-style escapes that absl::CUnescape reads back: backslash, tab, newline,
// carriage return, other controls as three-digit octal; everything else as UTF-8.
function escape(text) {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\' + c.toString(8).padStart(3, '0');
    else out += ch;
  }
  return out;
}
