/* Show that a large workbook upload is being processed. */
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    document.getElementById("import-submit").disabled = true;
    document.getElementById("import-spinner").classList.remove("d-none");
    document.getElementById("import-label").textContent = "正在处理…";
    document.getElementById("import-progress").classList.remove("d-none");
  });
})();
