/* egovpm page behaviour. The Content-Security-Policy (core/csp.py) forbids inline scripts and on*
 * handlers, so templates declare behaviour with data attributes and this file, loaded with `defer`
 * on every page (web/base.html), provides it. Listeners are delegated from the document: they also
 * work for content htmx swaps in later.
 *
 *   <form data-confirm="Withdraw this request?">  asks before submitting (cancel = nothing sent)
 *   <select data-autosubmit>                      submits its form when the value changes
 *   <a role="tab" data-tab>                       marks itself as the selected tab of its .tabs
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var message = form.getAttribute("data-confirm");
    if (message !== null && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!(field instanceof Element) || !field.hasAttribute("data-autosubmit") || !field.form) return;
    if (typeof field.form.requestSubmit === "function") {
      field.form.requestSubmit();
    } else {
      field.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var tab = event.target instanceof Element ? event.target.closest("[data-tab]") : null;
    if (!tab) return;
    var list = tab.closest(".tabs") || tab.parentElement;
    list.querySelectorAll("[data-tab]").forEach(function (other) {
      other.classList.remove("active");
      other.setAttribute("aria-selected", "false");
    });
    tab.classList.add("active");
    tab.setAttribute("aria-selected", "true");
  });
})();
