/* Behaviour the pages once wrote inline (the Content-Security-Policy allows no inline script):
 * - a <select data-submit> sends its form when changed (the language, year, plan and district pickers);
 * - a <button data-confirm="…"> asks before it sends its form (deleting a plan, withdrawing a report);
 * - an <input type=checkbox data-check-all="selector"> ticks or clears every box the selector names. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-submit]") && target.form) {
      target.form.submit();  /* as the inline handler did: a whole-page load, not an htmx swap */
    }
    if (target.matches && target.matches("input[data-check-all]")) {
      document.querySelectorAll(target.getAttribute("data-check-all")).forEach(function (box) {
        box.checked = target.checked;
      });
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
