// Filter the 典型案例 gallery (cases/index.md) by board, campaign and tag.
// Without JavaScript the form stays hidden and every case is listed. No libraries, no network.
// ?board=beigang&campaign=fenchen&tag=t1 in the address preselects the filters.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("cases-filter");
    var list = document.getElementById("case-list");
    if (!form || !list || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-board]"));
    var count = document.getElementById("cases-count");
    var empty = document.getElementById("cases-empty");
    var params = new URLSearchParams(window.location.search);

    function wanted() {
      var want = {};
      selects.forEach(function (select) {
        want[select.getAttribute("data-filter")] = select.value;
      });
      return want;
    }

    function matches(item, want) {
      var tags = (item.getAttribute("data-tags") || "").split(" ");
      return (!want.board || item.getAttribute("data-board") === want.board) &&
        (!want.campaign || item.getAttribute("data-campaign") === want.campaign) &&
        (!want.tag || tags.indexOf(want.tag) !== -1);
    }

    function apply() {
      var want = wanted();
      var shown = 0;
      items.forEach(function (item) {
        var ok = matches(item, want);
        // style, not the hidden attribute: the card grid's CSS sets display on items.
        item.style.display = ok ? "" : "none";
        if (ok) shown += 1;
      });
      if (count) count.textContent = "显示 " + shown + " / " + items.length + " 个案例";
      if (empty) empty.hidden = shown !== 0;
    }

    selects.forEach(function (select) {
      var preset = params.get(select.getAttribute("data-filter"));
      if (preset && select.querySelector('option[value="' + CSS.escape(preset) + '"]')) {
        select.value = preset;
      }
      select.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
