/* casework: a listing's filters, order, table view and downloads on the static site, with no
 * server.
 *
 * The live app answers a listing's query string (?category=…&sort=…&view=table) and its
 * index.csv and index.json itself; a static host cannot. The build writes every published
 * record once, in shards (publish/listing.py `listing_files`): a row for the view (the
 * listings it is on, its facets, what a card and the table show) and, apart, its CSV row and
 * JSON document. This script picks the listing's rows, narrows and orders them with the rules
 * of publish/listing.py, draws them (only when there is a query string: without one the page
 * is left as built), and makes the downloads when a reader asks for one, from the documents
 * of the shards holding those records: the same bytes the live app sends. Data reaches the
 * page through textContent and setAttribute only.
 */
(function () {
  "use strict";

  var FILTERS = ["category", "severity", "posture", "year", "tag", "country"];
  var SORTS = ["newest", "oldest", "title", "severity"];
  var shared = globalThis.caseworkWords;  // static/words.js, loaded before this script
  var displayDate = shared.displayDate;
  var counted = shared.counted;
  var MONTHS = shared.MONTHS;

  // The page's words (render/i18n.py script_words, in <script id="ui-words">), over these
  // English ones: a page without them (an older build) reads as before.
  var WORDS = {
    language: "en", plural: [1, 0], million: 1, ongoing: "Ongoing", months: [],
    listingMatches: ["%(num)s record matches.", "%(num)s records match."],
    listingFilterMatches: ["%(num)s record matches these filters.",
      "%(num)s records match these filters."],
    loading: "Loading\u2026", downloadThese: "Download these records:",
    notLoaded: "The listing's data could not be loaded.",
    columns: ["Date", "Title", "Category", "Severity", "Place", "Evidentiary standing"]
  };

  function el(doc, name, className, text) {
    var node = doc.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function matches(record, name, value) {
    if (name === "year") return String(record.date).slice(0, 4) === value;
    if (name === "tag") return record.tags.indexOf(value) >= 0;
    if (name === "country") return record.countries.indexOf(value) >= 0;
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
    } else if (sort === "title") key = function (r) { return [r.titleKey, r.slug]; };
    else {
      return found.sort(function (a, b) {
        var rank = severities.indexOf(b.severity) - severities.indexOf(a.severity);
        return rank || byKeys([b.date, a.slug], [a.date, b.slug]);
      });
    }
    return found.sort(function (a, b) { return byKeys(key(a), key(b)); });
  }

  function label(labels, name, value) {
    return labels[name][value] || value;
  }

  function cardItem(doc, r, root, level, labels, words) {
    var li = el(doc, "li", "card");
    var heading = el(doc, "h" + level);
    var link = el(doc, "a", "", r.title);
    link.setAttribute("href", root + "incident/" + encodeURIComponent(r.slug) + "/");
    heading.appendChild(link);
    li.appendChild(heading);
    var meta = el(doc, "p", "meta");
    meta.appendChild(el(doc, "span", "badge sev-" + r.severity, label(labels, "severity", r.severity)));
    if (r.ongoing === true) {
      meta.appendChild(doc.createTextNode(" "));
      meta.appendChild(el(doc, "span", "badge ongoing", words.ongoing));
    }
    meta.appendChild(doc.createTextNode(" "));
    var time = el(doc, "time", "", displayDate(r.date, words.language));
    time.setAttribute("datetime", r.date);
    meta.appendChild(time);
    meta.appendChild(doc.createTextNode(" \u00b7 "));
    meta.appendChild(el(doc, "span", "label", label(labels, "category", r.category)));
    meta.appendChild(doc.createTextNode(" \u00b7 "));
    meta.appendChild(el(doc, "span", "label posture", label(labels, "posture", r.posture)));
    li.appendChild(meta);
    li.appendChild(el(doc, "p", "", r.summary));
    return li;
  }

  function table(doc, records, root, labels, words) {
    var wrap = el(doc, "div", "table-scroll");
    var t = el(doc, "table", "listing-table");
    var head = el(doc, "thead");
    var row = el(doc, "tr");
    words.columns.forEach(function (h) {
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
      [label(labels, "category", r.category), label(labels, "severity", r.severity), r.place,
        label(labels, "posture", r.posture)].forEach(function (v) {
        tr.appendChild(el(doc, "td", "", v));
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    wrap.appendChild(t);
    return wrap;
  }

  function view(doc, records, kind, root, byMonth, labels, words) {
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
        var number = Number(g[0].slice(5, 7));
        var h = el(doc, "h2", "", words.months.length === 12 ? words.months[number - 1] :
          MONTHS[number - 1] + " " + g[0].slice(0, 4));
        h.id = "m-" + g[0];
        parent.setAttribute("aria-labelledby", h.id);
        parent.appendChild(h);
        out.appendChild(parent);
      }
      if (kind === "table") parent.appendChild(table(doc, g[1], root, labels, words));
      else {
        var list = el(doc, "ol", "cards");
        g[1].forEach(function (r) {
          list.appendChild(cardItem(doc, r, root, g[0] ? 3 : 2, labels, words));
        });
        parent.appendChild(list);
      }
    });
    return out;
  }

  // publish/listing.py ROW_FIELDS, by position.
  var FIELDS = ["slug", "date", "title", "titleKey", "category", "severity", "posture", "ongoing",
    "summary", "place", "tags", "countries", "listings"];

  function shardUrl(base, template, n) {
    return base + template.replace("NN", (n < 10 ? "0" : "") + n);
  }

  // The manifest and every shard's rows, each row an object with the shard it is in.
  function loadRows(url) {
    var base = url.replace(/listing\/index\.json$/, "");
    return fetch(url).then(function (r) { return r.json(); }).then(function (manifest) {
      var shards = [];
      for (var n = 0; n < manifest.shards; n++) {
        shards.push(fetch(shardUrl(base, manifest.rows, n)).then(function (r) { return r.json(); }));
      }
      return Promise.all(shards).then(function (lists) {
        var rows = [];
        lists.forEach(function (list, n) {
          list.forEach(function (values) {
            var row = { shard: n };
            FIELDS.forEach(function (name, i) { row[name] = values[i]; });
            rows.push(row);
          });
        });
        return { manifest: manifest, base: base, rows: rows };
      });
    });
  }

  // slug → [CSV row, compact JSON document] of the shards holding `records`.
  function loadDocs(data, records) {
    var wanted = {};
    records.forEach(function (r) { wanted[r.shard] = true; });
    return Promise.all(Object.keys(wanted).map(function (n) {
      return fetch(shardUrl(data.base, data.manifest.docs, Number(n))).then(function (r) {
        return r.text();
      });
    })).then(function (texts) {
      var docs = {};
      texts.forEach(function (text) {
        var lines = text.split("\n");
        for (var i = 0; i + 1 < lines.length; i += 2) {
          var head = JSON.parse(lines[i]);
          docs[head[0]] = [head[1], lines[i + 1]];
        }
      });
      return docs;
    });
  }

  // A compact JSON document indented as formats/tracker_json.py `dumps` writes it (two spaces
  // a level; empty lists and objects kept whole), every line after the first `base` deeper.
  function indented(text, base) {
    var depth = 0;
    function line() { return "\n" + base + new Array(depth + 1).join("  "); }
    return text.replace(/"(?:[^"\\]|\\.)*"|\{\}|\[\]|[{}\[\],:]/g, function (t) {
      if (t.length > 1) return t; // a string, or an empty list or object
      if (t === "{" || t === "[") { depth += 1; return t + line(); }
      if (t === "}" || t === "]") { depth -= 1; return line() + t; }
      return t === "," ? t + line() : ": ";
    });
  }

  // publish/listing.py csv_bytes and json_bytes (formats write_csv and write_archive).
  function csvBody(manifest, records, docs) {
    return manifest.csvHeader + records.map(function (r) { return docs[r.slug][0]; }).join("");
  }

  function jsonBody(manifest, records, docs) {
    var head = "{\n  \"site\": " + JSON.stringify(manifest.site) + ",\n  \"generatedAt\": " +
      JSON.stringify(manifest.generatedAt) + ",\n  \"recordCount\": " + records.length +
      ",\n  \"records\": [";
    var body = records.map(function (r) {
      return "\n    " + indented(docs[r.slug][1], "    ");
    }).join(",");
    return head + body + (records.length ? "\n  ]\n}" : "]\n}");
  }

  // The links with ids `ids` (CSV, then JSON) made into downloads of `current()`'s records
  // (a promise of {data: loadRows's, records}) on the first click: their href (the live
  // app's file, or the data files) until the file is made, then the file, which the browser
  // saves. `forget()` (of the answer) takes a made file back, for records that changed.
  function offerDownloads(doc, ids, current, failed) {
    var links = [];
    [[ids[0], csvBody, "text/csv"], [ids[1], jsonBody, "application/json"]].forEach(function (made) {
      var link = doc.getElementById(made[0]);
      if (!link || typeof Blob === "undefined" || !window.URL) return;
      links.push(link);
      var given = link.getAttribute("href");
      link.addEventListener("click", function (event) {
        if (link.dataset.made) return; // the file made: the browser saves it
        event.preventDefault();
        if (link.dataset.making) return;
        link.dataset.making = "1";
        var asked = current;
        asked().then(function (got) {
          return loadDocs(got.data, got.records).then(function (docs) {
            if (asked !== current) return; // the records changed meanwhile
            var body = made[1](got.data.manifest, got.records, docs);
            link.setAttribute("href", URL.createObjectURL(new Blob([body], { type: made[2] })));
            link.dataset.made = "1";
            delete link.dataset.making;
            link.click();
          });
        }).catch(function () {
          delete link.dataset.making;
          failed();
        });
      });
      link.dataset.given = given;
    });
    return {
      forget: function (next) {
        current = next;
        links.forEach(function (link) {
          if (link.dataset.made) URL.revokeObjectURL(link.getAttribute("href"));
          link.setAttribute("href", link.dataset.given);
          delete link.dataset.made;
          delete link.dataset.making;
        });
      }
    };
  }

  function start() {
    var doc = document;
    var downloads = doc.getElementById("listing-downloads");
    if (!downloads) return; // a page the live app narrowed: it made the view and downloads
    var form = doc.getElementById("listing-form");
    var listing = downloads.dataset.listing.replace(/\/$/, "");
    var params = new URLSearchParams(window.location.search);
    var narrowed = !!form && FILTERS.concat(["sort", "view"]).some(function (n) {
      return params.get(n);
    });
    var filters = {};
    var sort = form ? form.dataset.sort : "newest";
    var kind = "cards";
    if (narrowed) {
      FILTERS.forEach(function (name) {
        var value = (params.get(name) || "").trim();
        if (name === "country") value = value.toUpperCase();
        if (value && form.elements[name]) filters[name] = value;
      });
      if (SORTS.indexOf(params.get("sort")) >= 0) sort = params.get("sort");
      kind = params.get("view") === "table" ? "table" : "cards";
      Object.keys(filters).forEach(function (n) { form.elements[n].value = filters[n]; });
      form.elements.sort.value = sort;
      form.elements.view.value = kind;
    }
    var severities = form ? form.dataset.severities.split(" ") : [];
    var status = doc.getElementById("listing-status");
    var words = shared.pageWords(doc, WORDS);
    var loaded = null;
    // The listing's records as chosen, with the rows and manifest they came from.
    function current() {
      if (!loaded) {
        loaded = loadRows(downloads.dataset.rows).then(function (data) {
          var mine = data.rows.filter(function (r) { return r.listings.indexOf(listing) >= 0; });
          return { data: data, records: chosen(mine, filters, sort, severities) };
        });
      }
      return loaded;
    }
    offerDownloads(doc, ["listing-csv", "listing-json"], current, function () {
      var said = el(doc, "span", "", " " + words.notLoaded);
      said.setAttribute("role", "alert");
      downloads.appendChild(said);
    });
    if (!narrowed) return;
    var root = doc.querySelector("a.brand").getAttribute("href");
    status.textContent = words.loading;
    current().then(function (got) {
      var records = got.records;
      var n = records.length;
      status.textContent = counted(words,
        Object.keys(filters).length ? words.listingFilterMatches : words.listingMatches, n);
      var target = doc.getElementById("listing-records");
      while (target.firstChild) target.removeChild(target.firstChild);
      var byMonth = form.dataset.sort === "oldest" && (sort === "oldest" || sort === "newest");
      target.appendChild(view(doc, records, kind, root, byMonth, got.data.manifest.labels, words));
      var pager = doc.getElementById("listing-pager");
      if (pager) pager.hidden = true;
      downloads.firstChild.textContent = words.downloadThese + " ";
    }).catch(function () {
      status.textContent = words.notLoaded;
    });
  }

  // What search.js uses to show its results as this table and download them.
  globalThis.caseworkListing = { loadRows: loadRows, table: table, offerDownloads: offerDownloads };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
