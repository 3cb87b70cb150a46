/* Accessible combobox over a plain text box (WAI-ARIA 1.2 "list autocomplete" pattern).
 *
 * Markup (templates/reports/_search_field.html): <input type="text" data-combobox="/url/"
 * data-value="<id of the hidden input>" [data-group="<id of a select narrowing the search>"]>.
 * Without JavaScript the text box still works: the server resolves what was typed.
 * With it, typing asks the server for matches (JSON), the list opens below the box, the arrow
 * keys move through it, Enter or a tap chooses, Escape closes, and a polite live region says
 * how many matches there are. Choosing fills the text box and the hidden id.
 */
(function () {
  "use strict";

  var counter = 0;
  var status = null;
  var messages = {};

  function say(text) {
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
  }

  function enhance(input) {
    if (input.getAttribute("data-enhanced")) {
      return;
    }
    input.setAttribute("data-enhanced", "1");
    var hidden = document.getElementById(input.getAttribute("data-value"));
    var groupSelect = input.getAttribute("data-group") ? document.getElementById(input.getAttribute("data-group")) : null;
    var list = document.createElement("ul");
    counter += 1;
    list.id = input.id + "_listbox";
    list.className = "combobox-list list-unstyled";
    list.setAttribute("role", "listbox");
    var label = document.getElementById(input.id + "_label");
    if (label) {
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    var results = [];
    var active = -1;
    var timer = null;
    var asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.children;
      for (var i = 0; i < items.length; i += 1) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
        items[i].classList.toggle("active", i === index);
      }
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var result = results[index];
      if (!result) {
        return;
      }
      input.value = result.name;
      if (hidden) {
        hidden.value = String(result.id);
      }
      close();
      say(result.name);
    }

    function render() {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      results.forEach(function (result, index) {
        var item = document.createElement("li");
        item.id = list.id + "_" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.className = "combobox-option";
        item.textContent = result.name;
        if (result.detail) {
          var detail = document.createElement("span");
          detail.className = "combobox-detail";
          detail.textContent = " · " + result.detail;
          item.appendChild(detail);
        }
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the text box
          choose(index);
        });
        list.appendChild(item);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
      if (results.length === 0) {
        say(messages.none || "");
      } else if (results.length === 1) {
        say(messages.one || "");
      } else {
        say((messages.many || "{n}").replace("{n}", String(results.length)));
      }
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < 2) {
        results = [];
        close();
        return;
      }
      var url = input.getAttribute("data-combobox") + "?q=" + encodeURIComponent(query);
      if (groupSelect && groupSelect.value) {
        url += "&provinsi=" + encodeURIComponent(groupSelect.value);
      }
      asked = url;
      window.fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (asked !== url) {
            return; // an older answer arriving late
          }
          results = data.results || [];
          render();
        })
        .catch(function () { results = []; close(); });
    }

    input.addEventListener("input", function () {
      if (hidden) {
        hidden.value = ""; // the text changed: the server resolves it unless a match is chosen again
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && results.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          ask();
          return;
        }
        highlight(active + 1 >= results.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active <= 0 ? results.length - 1 : active - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault(); // choose, do not send the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
    if (groupSelect) {
      groupSelect.addEventListener("change", function () {
        if (hidden && hidden.value) {
          hidden.value = "";
          input.value = "";
        }
      });
    }
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("input[data-combobox]"), function (input) {
      if (input.id.indexOf("__prefix__") === -1) {
        enhance(input);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    status = document.getElementById("combobox-status");
    var form = document.getElementById("report-form");
    if (form) {
      messages = {
        one: form.getAttribute("data-results-one"),
        many: form.getAttribute("data-results-many"),
        none: form.getAttribute("data-results-none"),
      };
    }
    enhanceAll(document);
  });

  window.NetralitasCombobox = { enhanceAll: enhanceAll };
})();
