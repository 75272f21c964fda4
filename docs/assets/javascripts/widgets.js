// The lesson widgets, in plain JavaScript with no library and no network access.
//   <div class="widget softmax-explorer" data-logits="0.1, 10, 0.1" data-labels="dog, cat, chicken">
//   <div class="widget ce-explorer" data-p="0.25" data-classes="10">
//   <div class="widget tug-of-war" data-logits="-5, 5, 0" data-true="0" data-labels="dog, cat, chicken">
//   <div class="widget decision-regions">
// Each widget builds its own controls inside its <div>. The numbers it shows are also written to
// data-* attributes, so that tests (and curious students) can read the exact values.
(function () {
  "use strict";

  // The widgets' words in each language of the site; the page's <html lang> chooses (mkdocs-static-i18n
  // sets it per language), English when a language has no table. Numbers are formatted the same in both.
  var STRINGS = {
    en: {
      softmaxTitle: "Softmax explorer", temperature: "temperature T ", precision: "precision ",
      float32: "float32 (PyTorch's default)", float64: "float64 (JavaScript's own)", presets: "presets: ",
      classN: function (n) { return "class " + n; },
      sumLine: function (precision, sum, label) {
        return "stable softmax in " + precision + "; sum of the probabilities: " + sum + "; argmax: " + label;
      },
      naive: function (precision, values) { return "naive formula, without max subtraction, in " + precision + ": (" + values + ")"; },
      same: ": the same as the stable result",
      differs: function (size, why) { return ": differs from the stable result" + size + ": " + why; },
      byUpTo: function (d) { return " by up to " + d; },
      whyOverflow: function (limit) { return "exp overflowed to inf (exponents past " + limit + "), and inf / inf is NaN"; },
      whySumOverflow: "each exp is finite, but their sum overflowed to inf, so every finite exp / inf is 0",
      whyUnderflow: "every exp underflowed to 0, and 0 / 0 is NaN",
      whySubnormal: "some exps underflowed to 0 or to subnormal numbers, which keep few significant digits",
      whyRounding: "rounding",
      ceTitle: "Cross-entropy explorer", cePlot: "loss -log p against the probability p of the true class",
      ceX: "p, the true class's probability", ceY: "loss = -log p",
      uniform: function (q, v) { return "uniform guess over " + q + " classes: log " + q + " = " + v; },
      ceSlider: "probability of the true class p ",
      ceReadout: function (p, loss, bits, grad) {
        return "p = " + p + ":  loss = -log p = " + loss + " nats = " + bits + " bits;  gradient with respect to the true logit = p - 1 = " + grad;
      },
      tugTitle: "Gradient tug of war", trueClass: "true class: ", loss: "loss ", crossEntropy: "cross-entropy",
      squared: "squared loss through softmax", learningRate: "learning rate η ", step: "step: o ← o − η∇", reset: "reset",
      tugHeader: ["class", "logit o and softmax(o)", "−gradient: where the step pushes o"], isTrue: " (true)",
      gradientOf: function (g) { return "gradient " + g; },
      tugReadout: function (o, p, loss, grad) { return "o = (" + o + "), softmax(o) = (" + p + "); loss " + loss + "; gradient = (" + grad + ")"; },
      regionsTitle: "Decision regions of softmax regression",
      regionsCanvas: "three classes of 2-D points and the regions the model assigns to each class",
      train: "train", pause: "pause", steps50: "50 SGD steps", scaleBy: "scale W and b by s ", colours: ["blue", "red", "green"],
      regionsReadout: function (steps, batch, lr, loss, acc, s, conf, names) {
        return steps + " SGD steps (batch " + batch + ", η = " + lr + "): training loss " + loss + ", accuracy " + acc +
          "; mean confidence over the plane at s = " + s + ": " + conf + ". Colours: " + names.join(", ") + "; paler means less sure.";
      },
    },
    zh: {
      softmaxTitle: "softmax 探索器", temperature: "温度 T ", precision: "浮点精度 ",
      float32: "float32（PyTorch 的默认精度）", float64: "float64（JavaScript 自身的精度）", presets: "预设：",
      classN: function (n) { return "类别 " + n; },
      sumLine: function (precision, sum, label) { return "稳定的 softmax（" + precision + "）；概率之和：" + sum + "；argmax：" + label; },
      naive: function (precision, values) { return "朴素公式（不减最大值，" + precision + "）：(" + values + ")"; },
      same: "：与稳定结果相同",
      differs: function (size, why) { return "：与稳定结果不同" + size + "：" + why; },
      byUpTo: function (d) { return "，最多相差 " + d; },
      whyOverflow: function (limit) { return "exp 上溢为 inf（指数超过 " + limit + "），而 inf / inf 是 NaN"; },
      whySumOverflow: "每个 exp 都有限，但它们的和上溢为 inf，所以每个有限的 exp / inf 都是 0",
      whyUnderflow: "每个 exp 都下溢为 0，而 0 / 0 是 NaN",
      whySubnormal: "有些 exp 下溢为 0 或非正规数，只保留很少的有效数字",
      whyRounding: "舍入误差",
      ceTitle: "交叉熵探索器", cePlot: "损失 -log p 随真实类别的概率 p 的变化",
      ceX: "p，真实类别的概率", ceY: "损失 = -log p",
      uniform: function (q, v) { return "在 " + q + " 个类别上均匀猜测：log " + q + " = " + v; },
      ceSlider: "真实类别的概率 p ",
      ceReadout: function (p, loss, bits, grad) {
        return "p = " + p + "：损失 = -log p = " + loss + " 纳特 = " + bits + " 比特；关于真实类别 logit 的梯度 = p - 1 = " + grad;
      },
      tugTitle: "梯度拔河", trueClass: "真实类别：", loss: "损失 ", crossEntropy: "交叉熵",
      squared: "softmax 输出上的平方损失", learningRate: "学习率 η ", step: "走一步：o ← o − η∇", reset: "重置",
      tugHeader: ["类别", "logit o 与 softmax(o)", "−梯度：这一步把 o 推向哪里"], isTrue: "（真实）",
      gradientOf: function (g) { return "梯度 " + g; },
      tugReadout: function (o, p, loss, grad) { return "o = (" + o + ")，softmax(o) = (" + p + ")；损失 " + loss + "；梯度 = (" + grad + ")"; },
      regionsTitle: "softmax回归的决策区域",
      regionsCanvas: "三类二维点，以及模型分给每个类别的区域",
      train: "训练", pause: "暂停", steps50: "50 步 SGD", scaleBy: "把 W 和 b 乘以 s ", colours: ["蓝", "红", "绿"],
      regionsReadout: function (steps, batch, lr, loss, acc, s, conf, names) {
        return steps + " 步 SGD（批量 " + batch + "，η = " + lr + "）：训练损失 " + loss + "，准确率 " + acc +
          "；s = " + s + " 时平面上的平均置信度：" + conf + "。颜色：" + names.join("、") + "；越浅表示越不确定。";
      },
    },
  };

  // The table of the page's language: <html lang="zh"> (or "zh-CN") gives STRINGS.zh.
  function strings() {
    var lang = (document.documentElement.getAttribute("lang") || "en").toLowerCase().split("-")[0];
    return STRINGS[lang] || STRINGS.en;
  }

  // Rounding of one arithmetic result to the chosen precision: Math.fround emulates float32 (what
  // PyTorch computes in by default: exp overflows past 88.72); JavaScript itself computes in float64.
  function rounder(precision) {
    return precision === "float32" ? Math.fround : function (x) { return x; };
  }

  // Stable softmax of logits / temperature: subtract the maximum, so no exp() overflows.
  function softmax(logits, temperature, precision) {
    var R = rounder(precision || "float64");
    var scaled = logits.map(function (o) { return R(R(o) / R(temperature)); });
    var m = Math.max.apply(null, scaled);
    var exps = scaled.map(function (o) { return R(Math.exp(R(o - m))); });
    var sum = exps.reduce(function (a, b) { return R(a + b); }, 0);
    return exps.map(function (e) { return R(e / sum); });
  }

  // The formula as written, without the max subtraction; returns the exps and sum too, to diagnose.
  function naiveSoftmax(logits, temperature, precision) {
    var R = rounder(precision || "float64");
    var exps = logits.map(function (o) { return R(Math.exp(R(R(o) / R(temperature)))); });
    var sum = exps.reduce(function (a, b) { return R(a + b); }, 0);
    return { p: exps.map(function (e) { return R(e / sum); }), exps: exps, sum: sum };
  }

  // Smallest normal number: below it a float keeps fewer significant digits (subnormal).
  var TINY = { float32: 1.1754943508222875e-38, float64: 2.2250738585072014e-308 };
  var EXP_LIMIT = { float32: 88.72, float64: 709.78 };

  // One sentence comparing the naive result with the stable one, computed in the same precision.
  function naiveReport(o, T, precision, stable) {
    var naive = naiveSoftmax(o, T, precision);
    var diff = 0;
    naive.p.forEach(function (v, j) { diff = Math.max(diff, isNaN(v) ? Infinity : Math.abs(v - stable[j])); });
    var S = strings();
    var text = S.naive(precision, naive.p.map(format).join(", "));
    var differs = diff > (precision === "float32" ? 1e-6 : 1e-12);
    if (!differs) return { differs: false, text: text + S.same };
    var why;
    if (naive.exps.some(function (e) { return e === Infinity; })) {
      why = S.whyOverflow(EXP_LIMIT[precision]);
    } else if (naive.sum === Infinity) {
      why = S.whySumOverflow;
    } else if (naive.sum === 0) {
      why = S.whyUnderflow;
    } else if (naive.exps.some(function (e) { return e < TINY[precision]; })) {
      why = S.whySubnormal;
    } else {
      why = S.whyRounding;
    }
    var size = diff === Infinity ? "" : S.byUpTo(diff.toPrecision(2));
    return { differs: true, text: text + S.differs(size, why) };
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
    var presets = [[0.1, 10, 0.1], [1000, 10, 1000], [709.5, 709.5, 0], [-740, -741, -742], [1, 2, 3], [0, 0, 0]];
    var S = strings();
    root.appendChild(el("p", { class: "widget-title" }, S.softmaxTitle));

    var inputs = el("div", { class: "widget-row logits" });
    var logitInputs = logits.map(function (value, j) {
      var label = el("label", {}, "o" + (j + 1) + (labels[j] ? " (" + labels[j] + ")" : "") + " ");
      var input = el("input", { type: "number", step: "0.1", value: String(value) });
      input.addEventListener("input", update);
      label.appendChild(input);
      inputs.appendChild(label);
      return input;
    });
    root.appendChild(inputs);

    var tRow = el("div", { class: "widget-row" });
    var tLabel = el("label", {}, S.temperature);
    var slider = el("input", { type: "range", min: "-2", max: "1", step: "0.01", value: "0", class: "temperature" });
    var tValue = el("output", { class: "temperature-value" });
    slider.addEventListener("input", update);
    tLabel.appendChild(slider);
    tRow.appendChild(tLabel);
    tRow.appendChild(tValue);
    var pLabel = el("label", {}, S.precision);
    var precisionSelect = el("select", { class: "precision" });
    [["float32", S.float32], ["float64", S.float64]].forEach(function (choice) {
      precisionSelect.appendChild(el("option", { value: choice[0] }, choice[1]));
    });
    precisionSelect.addEventListener("change", update);
    pLabel.appendChild(precisionSelect);
    tRow.appendChild(pLabel);
    root.appendChild(tRow);

    var presetRow = el("div", { class: "widget-row presets" });
    presetRow.appendChild(el("span", {}, S.presets));
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

    var bars = el("div", { class: "bars", role: "list", "aria-live": "polite" });
    var rows = logits.map(function (_, j) {
      var row = el("div", { class: "bar-row", role: "listitem" });
      row.appendChild(el("span", { class: "bar-label" }, labels[j] || S.classN(j + 1)));
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
    var sumLine = el("p", { class: "widget-note sum", "aria-live": "polite" });
    var naiveLine = el("p", { class: "widget-note naive" });
    root.appendChild(sumLine);
    root.appendChild(naiveLine);

    function update() {
      var o = logitInputs.map(function (input) { return Number(input.value) || 0; });
      var T = temperatureOf(Number(slider.value));
      var precision = precisionSelect.value;
      var p = softmax(o, T, precision);
      var best = p.indexOf(Math.max.apply(null, p));
      rows.forEach(function (row, j) {
        row.fill.style.width = (100 * p[j]).toFixed(2) + "%";
        row.fill.dataset.p = String(p[j]);
        row.fill.classList.toggle("argmax", j === best);
        row.value.textContent = format(p[j]);
      });
      tValue.textContent = "T = " + T.toFixed(T < 0.1 ? 3 : 2);
      slider.setAttribute("aria-valuetext", tValue.textContent);
      var sum = p.reduce(function (a, b) { return a + b; }, 0);
      sumLine.textContent = S.sumLine(precision, sum.toFixed(6), labels[best] || S.classN(best + 1));
      var report = naiveReport(o, T, precision, p);
      naiveLine.textContent = report.text;
      naiveLine.dataset.differs = String(report.differs);
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

    var S = strings();
    root.appendChild(el("p", { class: "widget-title" }, S.ceTitle));
    var plot = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "ce-plot", role: "img",
                            "aria-label": S.cePlot });
    plot.appendChild(svg("line", { x1: left, y1: sy(0), x2: W - right, y2: sy(0), class: "axis" }));
    plot.appendChild(svg("line", { x1: left, y1: sy(0), x2: left, y2: top, class: "axis" }));
    [0, 0.25, 0.5, 0.75, 1].forEach(function (p) {
      var t = svg("text", { x: sx(p), y: H - 10, class: "tick" }); t.textContent = String(p); plot.appendChild(t);
    });
    [0, 2, 4, 6].forEach(function (l) {
      var t = svg("text", { x: left - 8, y: sy(l) + 4, class: "tick y" }); t.textContent = String(l); plot.appendChild(t);
    });
    var xLabel = svg("text", { x: W - right, y: H - 22, class: "tick end" });
    xLabel.textContent = S.ceX;
    plot.appendChild(xLabel);
    var yLabel = svg("text", { x: left + 6, y: top + 10, class: "tick start" });
    yLabel.textContent = S.ceY;
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
    uniformText.textContent = S.uniform(q, Math.log(q).toFixed(2));
    plot.appendChild(uniformText);
    var dot = svg("circle", { r: 6, class: "marker" });
    plot.appendChild(dot);
    root.appendChild(plot);

    var row = el("div", { class: "widget-row" });
    var label = el("label", {}, S.ceSlider);
    var slider = el("input", { type: "range", min: "0.001", max: "1", step: "0.001", value: String(p0), class: "probability" });
    label.appendChild(slider);
    row.appendChild(label);
    root.appendChild(row);
    var readout = el("p", { class: "widget-note readout", "aria-live": "polite" });
    root.appendChild(readout);
    slider.addEventListener("input", update);

    function update() {
      var p = Number(slider.value);
      var loss = -Math.log(p);
      dot.setAttribute("cx", sx(p));
      dot.setAttribute("cy", sy(loss));
      root.dataset.loss = String(loss);
      slider.setAttribute("aria-valuetext", "p = " + p.toFixed(3));
      readout.textContent = S.ceReadout(p.toFixed(3), loss.toFixed(3), (loss / Math.LN2).toFixed(3), (p - 1).toFixed(3));
    }
    update();
  }

  // Gradient tug of war: the gradient of the loss with respect to each logit, and steps down it.
  // Cross-entropy: l = logsumexp(o) - o_y, gradient softmax(o) - y.
  // Squared loss through softmax: l = sum_j (p_j - y_j)^2, gradient 2 J^T (p - y) with J = diag(p) - p p^T,
  // which is tiny whenever p is nearly one-hot, even when it is one-hot on the wrong class.
  function lossAndGradient(o, truth, kind) {
    var p = softmax(o, 1);
    if (kind === "squared") {
      var r = p.map(function (pj, j) { return pj - (j === truth ? 1 : 0); });
      var pr = p.reduce(function (acc, pj, j) { return acc + pj * r[j]; }, 0);
      return {
        p: p,
        loss: r.reduce(function (acc, rj) { return acc + rj * rj; }, 0),
        grad: p.map(function (pi, i) { return 2 * pi * (r[i] - pr); }),
      };
    }
    var m = Math.max.apply(null, o);
    var lse = m + Math.log(o.reduce(function (acc, oj) { return acc + Math.exp(oj - m); }, 0));
    return { p: p, loss: lse - o[truth], grad: p.map(function (pj, j) { return pj - (j === truth ? 1 : 0); }) };
  }

  function tugOfWar(root) {
    var start = (root.dataset.logits || "-5, 5, 0").split(",").map(Number);
    var labels = (root.dataset.labels || "").split(",").map(function (s) { return s.trim(); });
    var truth = Number(root.dataset.true || "0");
    var o = start.slice();
    var S = strings();
    root.appendChild(el("p", { class: "widget-title" }, S.tugTitle));

    var classRow = el("div", { class: "widget-row true-class" });
    classRow.appendChild(el("span", {}, S.trueClass));
    var classButtons = start.map(function (_, j) {
      var button = el("button", { type: "button", class: "md-button", "data-class": String(j) }, labels[j] || S.classN(j + 1));
      button.addEventListener("click", function () { truth = j; update(); });
      classRow.appendChild(button);
      return button;
    });
    root.appendChild(classRow);

    var controls = el("div", { class: "widget-row" });
    var lossLabel = el("label", {}, S.loss);
    var lossSelect = el("select", { class: "loss-kind" });
    lossSelect.appendChild(el("option", { value: "ce" }, S.crossEntropy));
    lossSelect.appendChild(el("option", { value: "squared" }, S.squared));
    lossSelect.addEventListener("change", update);
    lossLabel.appendChild(lossSelect);
    var lrLabel = el("label", {}, S.learningRate);
    var lrInput = el("input", { type: "number", step: "0.1", min: "0", value: "1", class: "lr" });
    lrLabel.appendChild(lrInput);
    var stepButton = el("button", { type: "button", class: "md-button md-button--primary step" }, S.step);
    var resetButton = el("button", { type: "button", class: "md-button reset" }, S.reset);
    stepButton.addEventListener("click", function () {
      var eta = Number(lrInput.value) || 0;
      var g = lossAndGradient(o, truth, lossSelect.value).grad;
      o = o.map(function (oj, j) { return oj - eta * g[j]; });
      update();
    });
    resetButton.addEventListener("click", function () { o = start.slice(); update(); });
    [lossLabel, lrLabel, stepButton, resetButton].forEach(function (node) { controls.appendChild(node); });
    root.appendChild(controls);

    var header = el("div", { class: "bar-row tug-header" });
    S.tugHeader.forEach(function (t) { header.appendChild(el("span", {}, t)); });
    root.appendChild(header);
    var rows = start.map(function (_, j) {
      var row = el("div", { class: "bar-row tug-row" });
      row.appendChild(el("span", { class: "bar-label" }, labels[j] || S.classN(j + 1)));
      var track = el("span", { class: "bar-track" });
      var fill = el("span", { class: "bar" });
      track.appendChild(fill);
      row.appendChild(track);
      var pull = el("span", { class: "pull-track" });
      var pullFill = el("span", { class: "pull" });
      pull.appendChild(pullFill);
      row.appendChild(pull);
      root.appendChild(row);
      return { row: row, fill: fill, pull: pullFill, label: row.firstChild };
    });
    var readout = el("p", { class: "widget-note readout", "aria-live": "polite" });
    root.appendChild(readout);

    function update() {
      var result = lossAndGradient(o, truth, lossSelect.value);
      classButtons.forEach(function (b, j) { b.classList.toggle("md-button--primary", j === truth); });
      rows.forEach(function (r, j) {
        r.fill.style.width = (100 * result.p[j]).toFixed(2) + "%";
        r.fill.classList.toggle("argmax", j === truth);
        r.label.textContent = (labels[j] || S.classN(j + 1)) + (j === truth ? S.isTrue : "");
        var push = -result.grad[j];  // the step moves o_j by -eta * gradient
        r.pull.style.width = Math.min(50, 50 * Math.abs(push)).toFixed(2) + "%";
        r.pull.style.left = (push >= 0 ? 50 : 50 - Math.min(50, 50 * Math.abs(push))).toFixed(2) + "%";
        r.pull.classList.toggle("up", push >= 0);
        r.pull.title = S.gradientOf(result.grad[j].toFixed(4));
      });
      readout.textContent = S.tugReadout(o.map(function (v) { return v.toFixed(2); }).join(", "), result.p.map(format).join(", "),
        result.loss.toFixed(4), result.grad.map(function (g) { return g.toFixed(4); }).join(", "));
      root.dataset.loss = String(result.loss);
      root.dataset.grad = result.grad.join(",");
      root.dataset.logitsNow = o.join(",");
    }
    update();
  }

  // A small deterministic random generator (mulberry32), so that the data and SGD repeat exactly.
  function seededRandom(seed) {
    return function () {
      seed = (seed + 0x6D2B79F5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Decision regions of softmax regression on 2-D points: o = xW + b, W 2 x 3, trained by minibatch SGD.
  function decisionRegions(root) {
    var SIZE = 320, CELLS = 64, SPAN = 4, PER_CLASS = 40, BATCH = 10, LR = 0.5;
    var colours = [[63, 111, 216], [208, 69, 58], [46, 160, 90]];
    var centres = [[-1.5, -1.0], [1.5, -1.0], [0.0, 1.6]];
    var S = strings();
    var names = S.colours;
    var points = [], rand, W, b, steps, timer = null;

    function reset() {
      rand = seededRandom(7);
      points = [];
      centres.forEach(function (c, k) {
        for (var i = 0; i < PER_CLASS; i++) {  // Box-Muller: two normals from two uniforms
          var r = Math.sqrt(-2 * Math.log(1 - rand())), a = 2 * Math.PI * rand();
          points.push({ x: [c[0] + 0.8 * r * Math.cos(a), c[1] + 0.8 * r * Math.sin(a)], y: k });
        }
      });
      W = [[0, 0, 0], [0, 0, 0]];
      b = [0, 0, 0];
      steps = 0;
    }

    function logits(x, scale) {
      return [0, 1, 2].map(function (j) { return scale * (x[0] * W[0][j] + x[1] * W[1][j] + b[j]); });
    }

    function sgdStep() {  // one minibatch: gradient of the mean cross-entropy, (softmax(o) - y) per example
      var gW = [[0, 0, 0], [0, 0, 0]], gb = [0, 0, 0];
      for (var i = 0; i < BATCH; i++) {
        var point = points[Math.floor(rand() * points.length)];
        var p = softmax(logits(point.x, 1), 1);
        for (var j = 0; j < 3; j++) {
          var d = p[j] - (j === point.y ? 1 : 0);
          gW[0][j] += point.x[0] * d / BATCH;
          gW[1][j] += point.x[1] * d / BATCH;
          gb[j] += d / BATCH;
        }
      }
      for (var k = 0; k < 3; k++) {
        W[0][k] -= LR * gW[0][k];
        W[1][k] -= LR * gW[1][k];
        b[k] -= LR * gb[k];
      }
      steps += 1;
    }

    root.appendChild(el("p", { class: "widget-title" }, S.regionsTitle));
    var canvas = el("canvas", { width: String(SIZE), height: String(SIZE), class: "regions",
                                "aria-label": S.regionsCanvas });
    root.appendChild(canvas);
    var controls = el("div", { class: "widget-row" });
    var run = el("button", { type: "button", class: "md-button md-button--primary run" }, S.train);
    var fifty = el("button", { type: "button", class: "md-button steps50" }, S.steps50);
    var again = el("button", { type: "button", class: "md-button reset" }, S.reset);
    var scaleLabel = el("label", {}, S.scaleBy);
    var scale = el("input", { type: "range", min: "-1", max: "1", step: "0.01", value: "0", class: "scale" });
    var scaleValue = el("output", {});
    scaleLabel.appendChild(scale);
    [run, fifty, again, scaleLabel, scaleValue].forEach(function (node) { controls.appendChild(node); });
    root.appendChild(controls);
    var readout = el("p", { class: "widget-note readout", "aria-live": "polite" });
    root.appendChild(readout);

    function stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      run.textContent = S.train;
    }
    run.addEventListener("click", function () {
      if (timer !== null) { stop(); return; }
      run.textContent = S.pause;
      timer = setInterval(function () {
        for (var i = 0; i < 3; i++) sgdStep();
        draw();
        if (steps >= 3000) stop();
      }, 40);
    });
    fifty.addEventListener("click", function () { for (var i = 0; i < 50; i++) sgdStep(); draw(); });
    again.addEventListener("click", function () { stop(); reset(); draw(); });
    scale.addEventListener("input", draw);

    function draw() {
      var s = Math.pow(10, Number(scale.value));  // 0.1 <= s <= 10
      var ctx = canvas.getContext("2d");
      var cell = SIZE / CELLS, regions = "", confidence = 0;
      for (var r = 0; r < CELLS; r++) {
        for (var c = 0; c < CELLS; c++) {
          var x = [-SPAN + (c + 0.5) * 2 * SPAN / CELLS, SPAN - (r + 0.5) * 2 * SPAN / CELLS];
          var p = softmax(logits(x, s), 1);
          var k = p.indexOf(Math.max.apply(null, p));
          var strength = (p[k] - 1 / 3) * 1.5;  // 0 at a three-way tie, 1 when certain
          var rgb = colours[k].map(function (v) { return Math.round(255 - 0.55 * strength * (255 - v)); });
          ctx.fillStyle = "rgb(" + rgb.join(",") + ")";
          ctx.fillRect(c * cell, r * cell, cell + 1, cell + 1);
          regions += k;
          confidence += p[k];
        }
      }
      points.forEach(function (point) {
        ctx.beginPath();
        ctx.arc((point.x[0] + SPAN) / (2 * SPAN) * SIZE, (SPAN - point.x[1]) / (2 * SPAN) * SIZE, 3.5, 0, 2 * Math.PI);
        ctx.fillStyle = "rgb(" + colours[point.y].join(",") + ")";
        ctx.fill();
        ctx.strokeStyle = "#222";
        ctx.stroke();
      });
      var correct = 0, loss = 0;
      points.forEach(function (point) {
        var o = logits(point.x, 1);
        var m = Math.max.apply(null, o);
        loss += m + Math.log(o.reduce(function (acc, v) { return acc + Math.exp(v - m); }, 0)) - o[point.y];
        if (o.indexOf(m) === point.y) correct += 1;
      });
      scaleValue.textContent = "s = " + s.toFixed(2);
      scale.setAttribute("aria-valuetext", scaleValue.textContent);
      readout.textContent = S.regionsReadout(steps, BATCH, LR, (loss / points.length).toFixed(3), (correct / points.length).toFixed(3),
        s.toFixed(2), (confidence / (CELLS * CELLS)).toFixed(3), names);
      root.dataset.steps = String(steps);
      root.dataset.loss = String(loss / points.length);
      root.dataset.accuracy = String(correct / points.length);
      root.dataset.confidence = String(confidence / (CELLS * CELLS));
      root.dataset.regions = regions;
    }
    reset();
    draw();
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
    document.querySelectorAll(".tug-of-war:not([data-ready])").forEach(function (root) {
      root.setAttribute("data-ready", "true");
      tugOfWar(root);
    });
    document.querySelectorAll(".decision-regions:not([data-ready])").forEach(function (root) {
      root.setAttribute("data-ready", "true");
      decisionRegions(root);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
