// Keyboard access to content that scrolls sideways (WCAG 2.1.1): a code block, notebook cell or output,
// display formula or table that is wider than its box can be scrolled only by a pointer unless it can
// take focus. Each such box in the article gets tabindex="0" while it overflows, and loses it when a
// wider window no longer makes it scroll, so no box that does not scroll is a Tab stop.
(function () {
  "use strict";
  var MARK = "data-scroll-focus";
  // Material gives code blocks that overflow tabindex="0" too, but keeps it when a wider window (a phone
  // turned, a window resized) stops them scrolling: those are ours to take back.
  var MATERIAL_CODE = "pre > code[tabindex='0']";

  function scrolls(el) {
    var style = getComputedStyle(el);
    var x = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth;
    var y = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight;
    return x || y;
  }

  function hasFocusable(el) {
    return !!el.querySelector("a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])");
  }

  // An inline formula cannot wrap inside one of KaTeX's unbreakable runs: one wider than its column
  // becomes a box of its own (course.css, .katex-wide) that scrolls, and so takes focus below.
  function markWideFormulas(content) {
    content.querySelectorAll(".katex").forEach(function (k) {
      if (k.closest(".katex-display")) return;
      k.classList.remove("katex-wide");
      var column = k.closest("p, li, td, dd, div");
      if (column && k.getBoundingClientRect().right > column.getBoundingClientRect().right + 1) k.classList.add("katex-wide");
    });
  }

  function update() {
    var content = document.querySelector(".md-content");
    if (!content) return;
    markWideFormulas(content);
    content.querySelectorAll("*").forEach(function (el) {
      var marked = el.hasAttribute(MARK);
      if (scrolls(el) && !hasFocusable(el)) {
        if (!marked && !el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          el.setAttribute(MARK, "");
        }
      } else if (marked || el.matches(MATERIAL_CODE)) {
        el.removeAttribute("tabindex");
        el.removeAttribute(MARK);
      }
    });
  }

  var pending = 0;
  function schedule() {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
  window.addEventListener("load", schedule);  // images and fonts change widths
  window.addEventListener("resize", schedule);
  document.addEventListener("toggle", schedule, true);  // a <details> opened shows new boxes
  document.addEventListener("change", schedule, true);  // a tab switched
})();
