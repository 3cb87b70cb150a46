/* The report form at /lapor/: small enhancements over a form that works without JavaScript.
 *
 * - focus the error summary so screen readers announce it;
 * - the instansi and kab/kota comboboxes live in combobox.js;
 * - disable the send button once pressed, so a double tap sends one report;
 * - "Tambah terlapor" adds a form in place instead of reloading the page;
 * - hide the identity fields while "Anonim" is chosen (their values are kept, the server ignores them).
 */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }

  // --- error summary -------------------------------------------------------
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  // --- add terlapor ------------------------------------------------------------
  var addButton = document.getElementById("add-terlapor");
  var template = document.getElementById("terlapor-template");
  var container = document.getElementById("terlapor-forms");
  var total = form.querySelector('input[name="terlapor-TOTAL_FORMS"]');
  var fieldset = document.getElementById("terlapor");
  if (addButton && template && container && total && fieldset) {
    var max = parseInt(fieldset.getAttribute("data-max"), 10) || 5;
    addButton.addEventListener("click", function (event) {
      var index = parseInt(total.value, 10) || 0;
      if (index >= max) {
        return; // let the server say why
      }
      event.preventDefault();
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__num__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var added = holder.firstElementChild;
      container.appendChild(added);
      total.value = String(index + 1);
      if (window.NetralitasCombobox) {
        window.NetralitasCombobox.enhanceAll(added);
      }
      var first = added.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
      if (index + 1 >= max) {
        addButton.hidden = true;
      }
    });
  }

  // --- one report per press -----------------------------------------------------
  var send = document.getElementById("submit-report");
  form.addEventListener("submit", function (event) {
    if (send && event.submitter === send) {
      window.setTimeout(function () { send.disabled = true; }, 0);
    }
  });
  window.addEventListener("pageshow", function () {
    if (send) {
      send.disabled = false; // back from an error page: the citizen sends again
    }
  });

  // --- anonymous -------------------------------------------------------------------
  var identity = document.getElementById("identity-fields");
  var radios = form.querySelectorAll('input[name="confidentiality"]');
  if (identity && radios.length) {
    var sync = function () {
      var checked = form.querySelector('input[name="confidentiality"]:checked');
      identity.hidden = !!checked && checked.value === "anonymous";
    };
    Array.prototype.forEach.call(radios, function (radio) {
      radio.addEventListener("change", sync);
    });
    sync();
  }
})();
