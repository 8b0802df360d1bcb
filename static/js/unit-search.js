/* A search box in front of every <select data-search-url> (units/search.py): type part of a
 * unit's name, pick it from the list (mouse or arrow keys and Enter); the hidden select holds the
 * choice and is what the form submits. Clearing the box clears the choice. */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function enhance(select) {
    var wrapper = document.createElement("div");
    wrapper.className = "unit-search position-relative";
    var input = document.createElement("input");
    input.type = "search";
    input.className = select.className.replace("form-select", "form-control");
    input.placeholder = select.getAttribute("data-placeholder") || "";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    if (select.id) {
      input.id = select.id + "_search";
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (label) label.setAttribute("for", input.id);
    }
    var list = document.createElement("div");
    list.className = "list-group position-absolute w-100 shadow-sm unit-search-results d-none";
    list.setAttribute("role", "listbox");
    list.id = (select.id || select.name) + "_results";
    input.setAttribute("aria-controls", list.id);

    var chosen = select.options[select.selectedIndex];
    input.value = chosen && chosen.value ? chosen.text : "";
    select.classList.add("d-none");
    select.setAttribute("tabindex", "-1");
    select.parentNode.insertBefore(wrapper, select);
    // A card that scrolls its content sideways would clip the list of results.
    var card = wrapper.closest(".card-body");
    if (card) card.classList.add("unit-search-host");
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(select);

    var timer = null;
    var active = -1;
    var request = 0;

    function close() {
      list.classList.add("d-none");
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function choose(id, text) {
      var option = null;
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === String(id)) option = select.options[i];
      }
      if (!option) {
        option = new Option(text, id);
        select.appendChild(option);
      }
      select.value = String(id);
      input.value = id ? text : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.classList.toggle("active", i === active);
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
    }

    function show(results) {
      list.textContent = "";
      if (!results.length) {
        var none = document.createElement("div");
        none.className = "list-group-item small text-secondary";
        none.textContent = select.getAttribute("data-empty") || "没有匹配的单位";
        list.appendChild(none);
      }
      results.forEach(function (unit) {
        var item = document.createElement("button");
        item.type = "button";
        item.className = "list-group-item list-group-item-action py-1";
        item.setAttribute("role", "option");
        item.textContent = unit.text;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box until the choice is made
          choose(unit.id, unit.text);
        });
        list.appendChild(item);
      });
      list.classList.remove("d-none");
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      var mine = ++request;
      var url = select.getAttribute("data-search-url") + "&q=" + encodeURIComponent(input.value);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          if (mine === request) show(data.results);
        })
        .catch(function () {
          if (mine !== request) return;
          list.textContent = "";
          var failed = document.createElement("div");
          failed.className = "list-group-item small text-danger";
          failed.textContent = "搜索暂时不可用，请稍后重试";
          list.appendChild(failed);
          list.classList.remove("d-none");
        });
    }

    input.addEventListener("input", function () {
      if (!input.value.trim() && select.value) choose("", "");
      request++; // an answer to an earlier query must not replace this one's
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("focus", function () {
      if (!input.value) search();
    });
    input.addEventListener("blur", function () {
      close();
      // Typed text that was never chosen must not look like a choice.
      var current = select.options[select.selectedIndex];
      input.value = current && current.value ? current.text : "";
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.classList.contains("d-none");
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) search();
        else highlight(active + 1);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        var item = list.querySelectorAll("[role=option]")[active];
        item.dispatchEvent(new MouseEvent("mousedown", { cancelable: true }));
      } else if (event.key === "Escape" && open) {
        close();
      }
    });
  }

  document.querySelectorAll("select[data-search-url]").forEach(enhance);
})();
