/* casework: a listing's filters, order and table view on the static site, with no server.
 *
 * The live app answers a listing's query string (?category=…&sort=…&view=table) itself; a
 * static host cannot, so this applies the same query to the listing's own index.json (the
 * unfiltered listing, written beside index.html) with the rules of publish/listing.py, and
 * points the downloads at the chosen records: the JSON narrowed, and the rows of index.csv
 * (its bytes, as the live app writes them) in the chosen order. Without a query string the
 * page is left as built. Data reaches the page through textContent and setAttribute only.
 */
(function () {
  "use strict";

  var FILTERS = ["category", "severity", "posture", "year", "tag", "country"];
  var SORTS = ["newest", "oldest", "title", "severity"];
  var SUMMARY_CHARS = 320;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function displayDate(iso) {
    var p = String(iso).split("-");
    return MONTHS[Number(p[1]) - 1] + " " + Number(p[2]) + ", " + p[0];
  }

  function el(doc, name, className, text) {
    var node = doc.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function countries(record) {
    return (record.locations || []).map(function (l) { return l.country; });
  }

  function matches(record, name, value) {
    if (name === "year") return String(record.date).slice(0, 4) === value;
    if (name === "tag") return (record.tags || []).indexOf(value) >= 0;
    if (name === "country") return countries(record).indexOf(value) >= 0;
    return record[name] === value;
  }

  function byKeys(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }

  // publish/listing.py `chosen`: the records come newest first (or, a year's, oldest first).
  function chosen(records, filters, sort, severities) {
    var found = records.filter(function (r) {
      return Object.keys(filters).every(function (n) { return matches(r, n, filters[n]); });
    });
    var key;
    if (sort === "oldest") key = function (r) { return [r.date, r.slug]; };
    else if (sort === "newest") {
      return found.sort(function (a, b) { return byKeys([b.date, b.slug], [a.date, a.slug]); });
    } else if (sort === "title") key = function (r) { return [r.title.toLowerCase(), r.slug]; };
    else {
      return found.sort(function (a, b) {
        var rank = severities.indexOf(b.severity) - severities.indexOf(a.severity);
        return rank || byKeys([b.date, a.slug], [a.date, b.slug]);
      });
    }
    return found.sort(function (a, b) { return byKeys(key(a), key(b)); });
  }

  function place(record) {
    return (record.locations || []).map(function (l) {
      return [l.name, l.adminArea, l.country].filter(Boolean).join(", ");
    }).join("; ");
  }

  function cardItem(doc, r, root, level) {
    var li = el(doc, "li", "card");
    var heading = el(doc, "h" + level);
    var link = el(doc, "a", "", r.title);
    link.setAttribute("href", root + "incident/" + encodeURIComponent(r.slug) + "/");
    heading.appendChild(link);
    li.appendChild(heading);
    var meta = el(doc, "p", "meta");
    meta.appendChild(el(doc, "span", "badge sev-" + r.severity, r.severityLabel));
    if (r.ongoing === true) {
      meta.appendChild(doc.createTextNode(" "));
      meta.appendChild(el(doc, "span", "badge ongoing", "Ongoing"));
    }
    meta.appendChild(doc.createTextNode(" "));
    var time = el(doc, "time", "", displayDate(r.date));
    time.setAttribute("datetime", r.date);
    meta.appendChild(time);
    meta.appendChild(doc.createTextNode(" \u00b7 "));
    meta.appendChild(el(doc, "span", "label", r.categoryLabel));
    meta.appendChild(doc.createTextNode(" \u00b7 "));
    meta.appendChild(el(doc, "span", "label posture", r.postureLabel));
    li.appendChild(meta);
    var summary = String(r.summary || "");
    if (summary.length > SUMMARY_CHARS) summary = summary.slice(0, SUMMARY_CHARS).trim() + "\u2026";
    li.appendChild(el(doc, "p", "", summary));
    return li;
  }

  function table(doc, records, root) {
    var wrap = el(doc, "div", "table-scroll");
    var t = el(doc, "table", "listing-table");
    var head = el(doc, "thead");
    var row = el(doc, "tr");
    ["Date", "Title", "Category", "Severity", "Place", "Evidentiary standing"].forEach(function (h) {
      var th = el(doc, "th", "", h);
      th.setAttribute("scope", "col");
      row.appendChild(th);
    });
    head.appendChild(row);
    t.appendChild(head);
    var body = el(doc, "tbody");
    records.forEach(function (r) {
      var tr = el(doc, "tr");
      var date = el(doc, "td");
      var time = el(doc, "time", "", r.date);
      time.setAttribute("datetime", r.date);
      date.appendChild(time);
      tr.appendChild(date);
      var title = el(doc, "td");
      var link = el(doc, "a", "", r.title);
      link.setAttribute("href", root + "incident/" + encodeURIComponent(r.slug) + "/");
      title.appendChild(link);
      tr.appendChild(title);
      [r.categoryLabel, r.severityLabel, place(r), r.postureLabel].forEach(function (v) {
        tr.appendChild(el(doc, "td", "", v));
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    wrap.appendChild(t);
    return wrap;
  }

  function view(doc, records, kind, root, byMonth) {
    var out = doc.createDocumentFragment();
    var groups = [];
    records.forEach(function (r) {
      var month = byMonth ? r.date.slice(0, 7) : "";
      if (!groups.length || groups[groups.length - 1][0] !== month) groups.push([month, []]);
      groups[groups.length - 1][1].push(r);
    });
    groups.forEach(function (g) {
      var parent = out;
      if (g[0]) {
        parent = el(doc, "section", "month");
        var h = el(doc, "h2", "", MONTHS[Number(g[0].slice(5, 7)) - 1] + " " + g[0].slice(0, 4));
        h.id = "m-" + g[0];
        parent.setAttribute("aria-labelledby", h.id);
        parent.appendChild(h);
        out.appendChild(parent);
      }
      if (kind === "table") parent.appendChild(table(doc, g[1], root));
      else {
        var list = el(doc, "ol", "cards");
        g[1].forEach(function (r) { list.appendChild(cardItem(doc, r, root, g[0] ? 3 : 2)); });
        parent.appendChild(list);
      }
    });
    return out;
  }

  // index.csv's rows as written (split at line ends outside quotes), keyed by their slug.
  function csvRows(text) {
    var rows = [];
    var start = 0;
    var quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === '"') quoted = !quoted;
      else if (c === "\n" && !quoted) {
        rows.push(text.slice(start, i + 1));
        start = i + 1;
      }
    }
    return rows;
  }

  function download(link, body, type) {
    if (!link || typeof Blob === "undefined" || !window.URL) return;
    link.setAttribute("href", URL.createObjectURL(new Blob([body], { type: type })));
  }

  function start() {
    var doc = document;
    var form = doc.getElementById("listing-form");
    var params = new URLSearchParams(window.location.search);
    if (!form || !FILTERS.concat(["sort", "view"]).some(function (n) { return params.get(n); })) {
      return;
    }
    var filters = {};
    FILTERS.forEach(function (name) {
      var value = (params.get(name) || "").trim();
      if (name === "country") value = value.toUpperCase();
      if (value && form.elements[name]) filters[name] = value;
    });
    var sort = SORTS.indexOf(params.get("sort")) >= 0 ? params.get("sort") : form.dataset.sort;
    var kind = params.get("view") === "table" ? "table" : "cards";
    Object.keys(filters).forEach(function (n) { form.elements[n].value = filters[n]; });
    form.elements.sort.value = sort;
    form.elements.view.value = kind;
    var root = doc.querySelector("a.brand").getAttribute("href");
    var severities = form.dataset.severities.split(" ");
    var status = doc.getElementById("listing-status");
    status.textContent = "Loading\u2026";
    var csvUrl = form.dataset.json.replace(/json$/, "csv");
    Promise.all([
      fetch(form.dataset.json).then(function (r) { return r.json(); }),
      fetch(csvUrl).then(function (r) { return r.text(); }),
    ]).then(function (got) {
      var doc0 = got[0];
      var records = chosen(doc0.records, filters, sort, severities);
      var n = records.length;
      status.textContent = n.toLocaleString("en") + (n === 1 ? " record matches" : " records match") +
        (Object.keys(filters).length ? " these filters." : ".");
      var target = doc.getElementById("listing-records");
      while (target.firstChild) target.removeChild(target.firstChild);
      var byMonth = form.dataset.sort === "oldest" && (sort === "oldest" || sort === "newest");
      target.appendChild(view(doc, records, kind, root, byMonth));
      var pager = doc.getElementById("listing-pager");
      if (pager) pager.hidden = true;
      var rows = csvRows(got[1]);
      var bySlug = {};
      rows.slice(1).forEach(function (row) { bySlug[row.split(",", 1)[0]] = row; });
      var csv = rows[0] + records.map(function (r) { return bySlug[r.slug]; }).join("");
      download(doc.getElementById("listing-csv"), csv, "text/csv");
      var narrowed = { site: doc0.site, generatedAt: doc0.generatedAt, recordCount: n, records: records };
      download(doc.getElementById("listing-json"), JSON.stringify(narrowed, null, 2) + "\n",
        "application/json");
    }).catch(function () {
      status.textContent = "The listing's data could not be loaded.";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
