// casework editor: repeatable rows and the live Markdown preview. Progressive: every form
// works without this file (a blank row is always there to fill, the preview just stays empty).
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // --- repeatable rows: names are KEY.N.FIELD; the server sorts and renumbers them ---
  function nextIndex(list, key) {
    var max = -1;
    list.querySelectorAll("[name^='" + key + ".']").forEach(function (el) {
      var n = parseInt(el.name.split(".")[1], 10);
      if (n > max) max = n;
    });
    return max + 1;
  }
  function renumber(row, key, n) {
    row.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (!v) return;
        el.setAttribute(attr, v.replace(new RegExp("(" + key + "[.-])\\d+"), "$1" + n));
      });
    });
  }
  document.querySelectorAll("fieldset[data-rows]").forEach(function (set) {
    var key = set.getAttribute("data-rows");
    var list = set.querySelector(".row-list");
    var add = set.querySelector("[data-add-row]");
    function wire(row) {
      var remove = row.querySelector("[data-remove-row]");
      if (!remove) return;
      remove.hidden = false;
      remove.addEventListener("click", function () {
        row.remove();
      });
    }
    list.querySelectorAll("[data-row]").forEach(wire);
    if (!add) return;
    add.hidden = false;
    add.addEventListener("click", function () {
      var template = list.querySelector("[data-row].blank") || list.querySelector("[data-row]");
      var row = template.cloneNode(true);
      row.classList.remove("blank");
      row.querySelectorAll("input,textarea").forEach(function (el) {
        // A checkbox's value is what it cites: untick it, keep the value.
        if (el.type === "checkbox") el.checked = false; else el.value = "";
      });
      row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
      row.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
      renumber(row, key, nextIndex(list, key));
      list.appendChild(row);
      wire(row);
      var first = row.querySelector("input,textarea,select");
      if (first) first.focus();
    });
  });

  // --- live preview: the server renders and sanitizes (the same code as publishing) ---
  var body = document.querySelector("textarea[data-preview]");
  if (body && csrf) {
    var pane = document.getElementById(body.getAttribute("data-preview"));
    var timer = null, seq = 0;
    var update = function () {
      var mine = ++seq;
      var data = new FormData();
      data.append("body", body.value);
      fetch("/edit/preview", {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf }
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (j) {
        // The HTML comes back through nh3's allow-list: no script, no handlers.
        if (j && mine === seq) pane.innerHTML = j.html;
      }).catch(function () {});
    };
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    });
    update();
  }
})();
