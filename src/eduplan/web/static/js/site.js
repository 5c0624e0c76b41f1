/* Behaviour the pages once wrote inline (the Content-Security-Policy allows no inline script):
 * a <select data-submit> sends its form when changed (the language and the year pickers). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-submit]") && target.form) {
      target.form.submit();  /* as the inline handler did: a whole-page load, not an htmx swap */
    }
  });
})();
