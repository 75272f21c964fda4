// MathJax 2.7 configuration, read by MathJax.js (loaded next, from this site: see site_hooks/mathjax.py).
// It scans the whole page: \( \) and \[ \] from pymdownx.arithmatex on Markdown pages, and $ $ / $$ $$
// left by nbconvert on notebook pages. When the first typeset ends, <html data-math="rendered"> is set,
// which the browser test waits for.
window.MathJax = {
  config: ["TeX-AMS-MML_HTMLorMML-full.js"],
  tex2jax: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  // The package ships only the STIX-Web web fonts: never look for TeX fonts or image fonts.
  // MathJax_Blank is a font that must never load (it is a fallback for font detection); MathJax
  // declares it as url('about:blank'), which Chromium reports as a CORS error: local() loads nothing.
  "HTML-CSS": {
    availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null,
    styles: { "@font-face": { "font-family": "MathJax_Blank", src: "local('MathJax_Blank')" } },
  },
  TeX: { equationNumbers: { autoNumber: "none" } },
  messageStyle: "none",
  "fast-preview": { disabled: true },  // one typesetting pass instead of a quick preview then the real one
  menuSettings: { zoom: "None" },
  AuthorInit: function () {
    MathJax.Hub.Register.StartupHook("End", function () {
      document.documentElement.setAttribute("data-math", "rendered");
    });
  },
};
