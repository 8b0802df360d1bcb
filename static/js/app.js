/* Site-wide behaviour without inline handlers (the Content Security Policy forbids them). */
(function () {
  "use strict";
  // <button data-confirm="确定删除？"> asks before submitting or following.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // <button data-print> prints the page (the 通报).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
