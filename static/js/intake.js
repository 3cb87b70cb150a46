/* The report form at /lapor/: small enhancements over a form that works without JavaScript.
 *
 * - focus the error summary so screen readers announce it;
 * - narrow the kab/kota list to the chosen provinsi (its <optgroup> carries the provinsi's name);
 * - a filter box above each instansi list (about 550 options);
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

  // --- provinsi -> kab/kota --------------------------------------------------
  var provinsi = document.getElementById("id_provinsi");
  var kabkota = document.getElementById("id_kabkota");
  if (provinsi && kabkota) {
    var groups = Array.prototype.slice.call(kabkota.querySelectorAll("optgroup"));
    var placeholder = kabkota.querySelector('option[value=""]');
    var filterKabkota = function () {
      var chosen = provinsi.options[provinsi.selectedIndex];
      var name = chosen && chosen.value ? chosen.text : "";
      var current = kabkota.value;
      while (kabkota.firstChild) {
        kabkota.removeChild(kabkota.firstChild);
      }
      if (placeholder) {
        kabkota.appendChild(placeholder);
      }
      groups.forEach(function (group) {
        if (!name || group.label === name) {
          kabkota.appendChild(group);
        }
      });
      kabkota.value = current;
      if (kabkota.value !== current) {
        kabkota.value = "";
      }
    };
    provinsi.addEventListener("change", filterKabkota);
    filterKabkota();
  }

  // --- instansi filter -------------------------------------------------------
  var filterLabel = form.getAttribute("data-filter-label") || "Cari instansi";
  var enhanceInstansi = function (select) {
    if (select.getAttribute("data-enhanced")) {
      return;
    }
    select.setAttribute("data-enhanced", "1");
    var all = Array.prototype.slice.call(select.children).map(function (node) {
      return node.cloneNode(true);
    });
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = filterLabel + "…";
    box.setAttribute("aria-label", filterLabel);
    box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      var current = select.value;
      while (select.firstChild) {
        select.removeChild(select.firstChild);
      }
      all.forEach(function (node) {
        if (node.tagName === "OPTION") {
          select.appendChild(node.cloneNode(true));
          return;
        }
        var group = node.cloneNode(false);
        Array.prototype.forEach.call(node.children, function (option) {
          if (!needle || option.text.toLowerCase().indexOf(needle) !== -1 || option.value === current) {
            group.appendChild(option.cloneNode(true));
          }
        });
        if (group.children.length) {
          select.appendChild(group);
        }
      });
      select.value = current;
    });
  };
  Array.prototype.forEach.call(form.querySelectorAll("select.js-instansi"), function (select) {
    if (select.id.indexOf("__prefix__") === -1) {
      enhanceInstansi(select);
    }
  });

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
      Array.prototype.forEach.call(added.querySelectorAll("select.js-instansi"), enhanceInstansi);
      var first = added.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
      if (index + 1 >= max) {
        addButton.hidden = true;
      }
    });
  }

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
