// The lesson widgets, in plain JavaScript with no library and no network access.
//   <div class="widget softmax-explorer" data-logits="0.1, 10, 0.1" data-labels="dog, cat, chicken">
//   <div class="widget ce-explorer" data-p="0.25" data-classes="10">
// Each widget builds its own controls inside its <div>. The probabilities are also written to
// data-p attributes on the bars, so that tests (and curious students) can read the exact values.
(function () {
  "use strict";

  // Stable softmax of logits / temperature: subtract the maximum, so no exp() overflows.
  function softmax(logits, temperature) {
    var scaled = logits.map(function (o) { return o / temperature; });
    var m = Math.max.apply(null, scaled);
    var exps = scaled.map(function (o) { return Math.exp(o - m); });
    var sum = exps.reduce(function (a, b) { return a + b; }, 0);
    return exps.map(function (e) { return e / sum; });
  }

  // The formula as written, without the max subtraction: overflows to NaN past exp(709.78).
  function naiveSoftmax(logits, temperature) {
    var exps = logits.map(function (o) { return Math.exp(o / temperature); });
    var sum = exps.reduce(function (a, b) { return a + b; }, 0);
    return exps.map(function (e) { return e / sum; });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function format(p) {
    if (isNaN(p)) return "NaN";
    if (p !== 0 && p < 0.001) return p.toExponential(1);
    return p.toFixed(3);
  }

  // Temperature slider: position in [-2, 1] maps to T = 10^position, so 0.01 <= T <= 10.
  function temperatureOf(position) { return Math.pow(10, position); }

  function softmaxExplorer(root) {
    var logits = (root.dataset.logits || "1, 2, 3").split(",").map(Number);
    var labels = (root.dataset.labels || "").split(",").map(function (s) { return s.trim(); });
    var presets = [[0.1, 10, 0.1], [1000, 10, 1000], [1, 2, 3], [0, 0, 0]];
    root.appendChild(el("p", { class: "widget-title" }, "Softmax explorer"));

    var inputs = el("div", { class: "widget-row logits" });
    var logitInputs = logits.map(function (value, j) {
      var label = el("label", {}, "o" + (j + 1) + (labels[j] ? " (" + labels[j] + ")" : "") + " ");
      var input = el("input", { type: "number", step: "0.1", value: String(value), "aria-label": "logit " + (j + 1) });
      input.addEventListener("input", update);
      label.appendChild(input);
      inputs.appendChild(label);
      return input;
    });
    root.appendChild(inputs);

    var tRow = el("div", { class: "widget-row" });
    var tLabel = el("label", {}, "temperature T ");
    var slider = el("input", { type: "range", min: "-2", max: "1", step: "0.01", value: "0", class: "temperature", "aria-label": "temperature" });
    var tValue = el("output", { class: "temperature-value" });
    slider.addEventListener("input", update);
    tLabel.appendChild(slider);
    tRow.appendChild(tLabel);
    tRow.appendChild(tValue);
    root.appendChild(tRow);

    var presetRow = el("div", { class: "widget-row presets" });
    presetRow.appendChild(el("span", {}, "presets: "));
    presets.forEach(function (preset) {
      var button = el("button", { type: "button", class: "md-button" }, "(" + preset.join(", ") + ")");
      button.addEventListener("click", function () {
        preset.forEach(function (v, j) { logitInputs[j].value = String(v); });
        slider.value = "0";
        update();
      });
      presetRow.appendChild(button);
    });
    root.appendChild(presetRow);

    var bars = el("div", { class: "bars", role: "list" });
    var rows = logits.map(function (_, j) {
      var row = el("div", { class: "bar-row", role: "listitem" });
      row.appendChild(el("span", { class: "bar-label" }, labels[j] || "class " + (j + 1)));
      var track = el("span", { class: "bar-track" });
      var fill = el("span", { class: "bar" });
      track.appendChild(fill);
      row.appendChild(track);
      var value = el("span", { class: "bar-value" });
      row.appendChild(value);
      bars.appendChild(row);
      return { fill: fill, value: value };
    });
    root.appendChild(bars);
    var sumLine = el("p", { class: "widget-note sum" });
    var naiveLine = el("p", { class: "widget-note naive" });
    root.appendChild(sumLine);
    root.appendChild(naiveLine);

    function update() {
      var o = logitInputs.map(function (input) { return Number(input.value) || 0; });
      var T = temperatureOf(Number(slider.value));
      var p = softmax(o, T);
      var best = p.indexOf(Math.max.apply(null, p));
      rows.forEach(function (row, j) {
        row.fill.style.width = (100 * p[j]).toFixed(2) + "%";
        row.fill.dataset.p = String(p[j]);
        row.fill.classList.toggle("argmax", j === best);
        row.value.textContent = format(p[j]);
      });
      tValue.textContent = "T = " + T.toFixed(T < 0.1 ? 3 : 2);
      var sum = p.reduce(function (a, b) { return a + b; }, 0);
      sumLine.textContent = "sum of the probabilities: " + sum.toFixed(6) + "; argmax: " + (labels[best] || "class " + (best + 1));
      var naive = naiveSoftmax(o, T);
      naiveLine.textContent = naive.some(isNaN)
        ? "naive formula, without max subtraction: (" + naive.map(format).join(", ") + "): exp " +
          (o.some(function (x) { return x / T > 709.78; }) ? "overflowed to inf, and inf / inf is NaN" : "underflowed to 0, and 0 / 0 is NaN")
        : "naive formula, without max subtraction: same result";
      root.dataset.sum = String(sum);
    }
    update();
  }

  // Cross-entropy explorer: the loss -log p against the true class's probability p.
  function crossEntropyExplorer(root) {
    var W = 480, H = 240, left = 44, bottom = 30, top = 10, right = 12, yMax = 7;
    var p0 = Number(root.dataset.p || "0.25");
    var q = Number(root.dataset.classes || "10");
    var svgNS = "http://www.w3.org/2000/svg";
    function sx(p) { return left + p * (W - left - right); }
    function sy(l) { return top + (1 - Math.min(l, yMax) / yMax) * (H - top - bottom); }
    function svg(tag, attrs) {
      var node = document.createElementNS(svgNS, tag);
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
      return node;
    }

    root.appendChild(el("p", { class: "widget-title" }, "Cross-entropy explorer"));
    var plot = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "ce-plot", role: "img",
                            "aria-label": "loss -log p against the probability p of the true class" });
    plot.appendChild(svg("line", { x1: left, y1: sy(0), x2: W - right, y2: sy(0), class: "axis" }));
    plot.appendChild(svg("line", { x1: left, y1: sy(0), x2: left, y2: top, class: "axis" }));
    [0, 0.25, 0.5, 0.75, 1].forEach(function (p) {
      var t = svg("text", { x: sx(p), y: H - 10, class: "tick" }); t.textContent = String(p); plot.appendChild(t);
    });
    [0, 2, 4, 6].forEach(function (l) {
      var t = svg("text", { x: left - 8, y: sy(l) + 4, class: "tick y" }); t.textContent = String(l); plot.appendChild(t);
    });
    var xLabel = svg("text", { x: W - right, y: H - 22, class: "tick end" });
    xLabel.textContent = "p, the true class's probability";
    plot.appendChild(xLabel);
    var yLabel = svg("text", { x: left + 6, y: top + 10, class: "tick start" });
    yLabel.textContent = "loss = -log p";
    plot.appendChild(yLabel);
    var d = "";
    for (var i = 0; i <= 400; i++) {
      var p = Math.max(i / 400, 1e-4);
      d += (i ? " L" : "M") + sx(p).toFixed(1) + " " + sy(-Math.log(p)).toFixed(1);
    }
    plot.appendChild(svg("path", { d: d, class: "curve" }));
    var uniform = svg("line", { x1: left, x2: W - right, y1: sy(Math.log(q)), y2: sy(Math.log(q)), class: "uniform" });
    plot.appendChild(uniform);
    var uniformText = svg("text", { x: W - right - 4, y: sy(Math.log(q)) - 5, class: "tick end" });
    uniformText.textContent = "uniform guess over " + q + " classes: log " + q + " = " + Math.log(q).toFixed(2);
    plot.appendChild(uniformText);
    var dot = svg("circle", { r: 6, class: "marker" });
    plot.appendChild(dot);
    root.appendChild(plot);

    var row = el("div", { class: "widget-row" });
    var label = el("label", {}, "probability of the true class p ");
    var slider = el("input", { type: "range", min: "0.001", max: "1", step: "0.001", value: String(p0), class: "probability", "aria-label": "probability of the true class" });
    label.appendChild(slider);
    row.appendChild(label);
    root.appendChild(row);
    var readout = el("p", { class: "widget-note readout" });
    root.appendChild(readout);
    slider.addEventListener("input", update);

    function update() {
      var p = Number(slider.value);
      var loss = -Math.log(p);
      dot.setAttribute("cx", sx(p));
      dot.setAttribute("cy", sy(loss));
      root.dataset.loss = String(loss);
      readout.textContent = "p = " + p.toFixed(3) + ":  loss = -log p = " + loss.toFixed(3) + " nats = " +
        (loss / Math.LN2).toFixed(3) + " bits;  gradient with respect to the true logit = p - 1 = " + (p - 1).toFixed(3);
    }
    update();
  }

  function init() {
    document.querySelectorAll(".softmax-explorer:not([data-ready])").forEach(function (root) {
      root.setAttribute("data-ready", "true");
      softmaxExplorer(root);
    });
    document.querySelectorAll(".ce-explorer:not([data-ready])").forEach(function (root) {
      root.setAttribute("data-ready", "true");
      crossEntropyExplorer(root);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
