/* report_html.js - the HTML report's filters (embedded in the page at build
   time): unit, rule, severity, subject and a search box; hides the violations
   that do not match and says how many are shown. The page reads fully without it. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var shown = document.getElementById("shown");
  var nothing = document.getElementById("nothing");
  var items = Array.prototype.slice.call(document.querySelectorAll("article.v"));
  var field = function (id) { return document.getElementById(id); };
  var unit = field("f-unit"), rule = field("f-rule"), sev = field("f-sev"), who = field("f-person"), q = field("f-q");
  function hasPerson(el, id) {
    var ps = el.querySelectorAll(".person");
    for (var i = 0; i < ps.length; i++) if (ps[i].getAttribute("data-person") === id) return true;
    return false;
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), n = 0;
    items.forEach(function (el) {
      var ok = (!unit.value || el.getAttribute("data-unit") === unit.value) &&
               (!rule.value || el.getAttribute("data-rule") === rule.value) &&
               (!sev.value || el.getAttribute("data-sev") === sev.value) &&
               (!who.value || hasPerson(el, who.value)) &&
               (!text || el.textContent.toLowerCase().indexOf(text) >= 0);
      el.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = shown.getAttribute("data-format").replace("{n}", n).replace("{total}", items.length);
    nothing.hidden = n > 0;
  }
  [unit, rule, sev, who].forEach(function (s) { s.addEventListener("change", apply); });
  q.addEventListener("input", apply);
  Array.prototype.forEach.call(document.querySelectorAll("[data-show-rule]"), function (a) {
    a.addEventListener("click", function () {
      rule.value = a.getAttribute("data-show-rule");
      apply();
    });
  });
  form.hidden = false;
})();
