// Renders a batch of TeX formulas with KaTeX (npm package `katex`, installed by `npm ci`).
// stdin: JSON [{"tex": "...", "display": bool}, ...]; stdout: JSON [{"html": "..."} | {"error": "..."}, ...].
// Run by site_hooks/katex.py once per page that has math, so the site ships typeset math and no engine.
"use strict";
const katex = require(process.argv[2] || "katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(({ tex, display }) => {
    try {
      // htmlAndMathml: the visible HTML is aria-hidden and the MathML beside it is what screen readers read.
      return { html: katex.renderToString(tex, { displayMode: display, output: "htmlAndMathml", throwOnError: true, strict: "error" }) };
    } catch (error) {
      return { error: String(error.message || error) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
