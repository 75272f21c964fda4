// Search on demand: Material fetches the site's search index (both languages, ~530 KB, more than
// the rest of most pages together) and starts its search worker on every page load, whether or not
// the reader searches. This script runs before Material's bundle (site_hooks/page_weight.py puts it
// there) and holds both back until the reader reaches for search: pointing at or focusing the search
// box, opening it (its toggle, the "/", "s" or "f" keys, which focus the box), or arriving from a
// search result (?h=..., whose terms Material highlights from the index). Material's own code is
// unchanged: its request waits, then runs; search then works as before, a moment later on first use.
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json(\?|#|$)/;
  var WORKER = /\/workers\/search\.[^\/]*\.js(\?|#|$)/;
  var wanted = false;
  var waiting = [];

  function want() {
    if (wanted) return;
    wanted = true;
    waiting.splice(0).forEach(function (run) { run(); });
  }
  function whenWanted(run) {
    if (wanted) run(); else waiting.push(run);
  }

  if (/[?&]h=/.test(location.search)) wanted = true;

  // The index: Material requests it with XMLHttpRequest; its send() waits.
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.searchIndexRequest = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.searchIndexRequest) return send.apply(xhr, args);
    whenWanted(function () { send.apply(xhr, args); });
  };

  // The worker: Material posts to it only once the index has arrived, so a stand-in that starts the
  // real worker on the first message defers its script (and the lunr languages it loads) as well.
  var RealWorker = window.Worker;
  if (RealWorker && window.EventTarget) {
    window.Worker = function (url, options) {
      if (!WORKER.test(String(url))) return new RealWorker(url, options);
      var standIn = new EventTarget();
      var real = null;
      standIn.postMessage = function (message) {
        if (!real) {
          real = new RealWorker(url, options);
          real.addEventListener("message", function (event) {
            standIn.dispatchEvent(new MessageEvent("message", { data: event.data }));
          });
          real.addEventListener("error", function () { standIn.dispatchEvent(new Event("error")); });
        }
        real.postMessage(message);
      };
      standIn.terminate = function () { if (real) real.terminate(); };
      return standIn;
    };
    window.Worker.prototype = RealWorker.prototype;
  }

  // Reaching for search.
  function isSearch(target) {
    return target instanceof Element && !!target.closest(".md-search, label[for='__search']");
  }
  document.addEventListener("focusin", function (event) { if (isSearch(event.target)) want(); }, true);
  document.addEventListener("pointerover", function (event) { if (isSearch(event.target)) want(); }, true);
  document.addEventListener("pointerdown", function (event) { if (isSearch(event.target)) want(); }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) want();
  }, true);
})();
