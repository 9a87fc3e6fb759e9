"use strict";
// Filters and search for the phi-lint HTML report. Reads only the page itself: the findings
// are already in the markup, the embedded JSON (#phi-lint-data) is the same data for tools.
(function () {
  var ids = ["rule", "level", "vendor", "label", "status"];
  var controls = {};
  ids.forEach(function (id) { controls[id] = document.getElementById("filter-" + id); });
  var search = document.getElementById("filter-search");
  var count = document.getElementById("filter-count");
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var data = JSON.parse(document.getElementById("phi-lint-data").textContent);
  var total = data.findings.length;

  function value(id) { return controls[id] ? controls[id].value : ""; }

  function matches(article) {
    var d = article.dataset;
    if (value("rule") && d.rule !== value("rule")) return false;
    if (value("level") && d.level !== value("level")) return false;
    if (value("vendor") && d.vendor !== value("vendor")) return false;
    if (value("status") && d.status !== value("status")) return false;
    var label = value("label");
    if (label && (" " + d.contexts + " ").indexOf(" " + label + " ") < 0) return false;
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var text = article.textContent.toLowerCase();
    return words.every(function (w) { return text.indexOf(w) >= 0; });
  }

  function apply() {
    var shown = 0;
    findings.forEach(function (article) {
      var ok = matches(article);
      article.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + total + " findings shown";
  }

  ids.forEach(function (id) { if (controls[id]) controls[id].addEventListener("change", apply); });
  search.addEventListener("input", apply);
  document.getElementById("filters").addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("filter-reset").addEventListener("click", function () {
    ids.forEach(function (id) { if (controls[id]) controls[id].value = ""; });
    search.value = "";
    apply();
  });

  // a matrix cell filters the findings to its vendor and page context
  Array.prototype.forEach.call(document.querySelectorAll("table.matrix a[data-context]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      ids.forEach(function (id) { if (controls[id]) controls[id].value = ""; });
      search.value = "";
      controls.vendor.value = link.dataset.vendor;
      controls.label.value = link.dataset.context;
      apply();
      document.getElementById("findings").scrollIntoView();
    });
  });
  apply();
})();
