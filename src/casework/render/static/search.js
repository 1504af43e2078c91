/* casework: full-text search on the static site, with no server.
 *
 * Reads the index that casework/publish/search_index.py writes: meta.json (records, shard
 * boundaries, labels) and, per query word, the one terms-{n}.json shard that holds it.
 * The tokenizer must give exactly what the Python one gives (tests run both).
 *
 * Data from the index reaches the page through textContent and setAttribute only.
 */
(function () {
  "use strict";

  var KIND_BITS = 2;  // search_index.py: a posting's kind, and DIGIT, the base of kind 1
  var DIGIT = 8;
  var FIELD_COUNT = 5;  // search_rank.FIELDS: title, tags, summary, key points, description
  var NOWHERE = [0, 0, 0, 0, 0];  // a posting's counts when the term is in no short field
  // store/sqlite_search.py: the most words a query keeps, and the most rows a tier ranks.
  var MAX_TERMS = 16;
  var RANK_BUDGET = 4000;
  var DIGITS = 9;  // search_rank.DIGITS: scores are compared rounded
  var MAX_RESULTS = 50;
  // Completing the word being typed costs one fetch per shard its prefix spans; a prefix
  // that spans more is too short to say much, and only its exact word is looked up.
  var PREFIX_SHARDS = 3;
  var DEBOUNCE_MS = 150;

  var MARKS = /\p{M}+/gu;
  var WORD = /[\p{L}\p{N}]+/gu;
  // Where Python's str.casefold differs from toLowerCase (after NFKD): sharp s, final
  // sigma, Cherokee (folds to capitals) and the old Cyrillic letter variants.
  var CASEFOLD_EXTRA = /[\u00df\u03c2\u13f8-\u13fd\u1c80-\u1c88\uab70-\uabbf]/g;
  var CYRILLIC_VARIANTS = "\u0432\u0434\u043e\u0441\u0442\u0442\u044a\u0463\ua64b";

  function casefoldExtra(c) {
    var cp = c.charCodeAt(0);
    if (cp === 0xdf) return "ss";
    if (cp === 0x3c2) return "\u03c3";
    if (cp >= 0xab70) return String.fromCharCode(cp - 0xab70 + 0x13a0);
    if (cp >= 0x1c80) return CYRILLIC_VARIANTS[cp - 0x1c80];
    return String.fromCharCode(cp - 8);
  }

  function fold(text) {
    return String(text).normalize("NFKD").replace(MARKS, "").toLowerCase()
      .replace(CASEFOLD_EXTRA, casefoldExtra);
  }

  // snowball.js: node requires it; a page loads it (a script tag) before this one.
  var underNode = typeof module === "object" && module && module.exports;
  var snowballStem = underNode ? require("./snowball.js").snowballStem : globalThis.snowballStem;
  // words.js: the page's words, a count's plural form, a card's date (listing.js's too).
  var shared = underNode ? require("./words.js") : globalThis.caseworkWords;
  var displayDate = shared.displayDate;
  var ASTRAL = /[\ud800-\udfff]/;
  var language = "english";  // meta.json says which; set before any query is stemmed
  var stems = new Map();

  // The search keys of a lower-cased word: casework/search_words.py's _stem.
  function stem(word) {
    var key = language + ":" + word;
    var found = stems.get(key);
    if (found === undefined) {
      // "plain": an index made without stemming (search_words.PLAIN).
      var stemmed = language === "plain" || ASTRAL.test(word) ? word :
        snowballStem(language, word);
      found = fold(stemmed).match(WORD) || [];
      stems.set(key, found);
    }
    return found;
  }

  // casework.search_words.keys: words cut (after NFC), lower-cased, stemmed, folded.
  function words(text) {
    var out = [];
    (String(text).normalize("NFC").toLowerCase().match(WORD) || []).forEach(function (w) {
      out.push.apply(out, stem(w));
    });
    return out;
  }

  function setLanguage(name) {
    if (typeof name === "string" && name) language = name;
  }

  // Every key is a term (search_index.py), stopwords too: the live engines match them.
  function keep(term) {
    return typeof term === "string" && term.length > 0;
  }

  function tokenize(text) {
    return words(text);
  }

  function own(object, key) {
    return object !== null && typeof object === "object" &&
      Object.prototype.hasOwnProperty.call(object, key);
  }

  // Index of the shard whose range holds `term`: the last one whose first term is <= it.
  function shardOf(firstTerms, term) {
    var lo = 0;
    var hi = firstTerms.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firstTerms[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // Packed postings → Map(record index → its counts in the five short fields); see
  // search_index.py.
  function decode(postings) {
    var out = new Map();
    if (!Array.isArray(postings)) return out;
    var record = -1;
    for (var i = 0; i < postings.length; i++) {
      var value = postings[i];
      if (typeof value !== "number") continue;
      record += Math.floor(value / (1 << KIND_BITS));
      var kind = value % (1 << KIND_BITS);
      var counts = NOWHERE;
      if (kind === 1) {
        var code = Number(postings[++i]) || 0;
        counts = new Array(FIELD_COUNT);
        for (var f = FIELD_COUNT - 1; f >= 0; f--) {
          counts[f] = code % DIGIT;
          code = Math.floor(code / DIGIT);
        }
      } else if (kind === 2) {
        counts = postings.slice(i + 1, i + 1 + FIELD_COUNT).map(function (n) {
          return Number(n) || 0;
        });
        i += FIELD_COUNT;
      }
      out.set(record, counts);
    }
    return out;
  }

  // The terms of a query, as store/sqlite_search.py's parse_terms makes them: runs of letters
  // and digits after NFKC, `word*` a prefix, the same word twice kept once, at most
  // MAX_TERMS; each term's keys are its word's search keys (a word folding splits has two).
  // While the reader types (`typing`) and the query ends inside a word, that last word is
  // completed as if it ended with `*`; a query given whole (a link, a submitted form) is
  // not: it finds what the live search finds. `exact` and `prefix` say what to highlight.
  function parseQuery(q, typing) {
    var text = String(q || "").normalize("NFKC");
    var terms = [];
    var seen = new Set();
    (text.match(/[\p{L}\p{N}]+\*?/gu) || []).forEach(function (found) {
      var prefix = found.charAt(found.length - 1) === "*";
      var word = prefix ? found.slice(0, -1) : found;
      if (seen.has((prefix ? "*" : " ") + word)) return;
      seen.add((prefix ? "*" : " ") + word);
      terms.push({ word: word, prefix: prefix, keys: words(word), typed: false });
    });
    terms = terms.slice(0, MAX_TERMS);
    var last = terms[terms.length - 1];
    if (typing && last && !last.prefix && /[\p{L}\p{N}\p{M}]$/u.test(text) &&
        last.keys.length > 0 && Array.from(last.keys[last.keys.length - 1]).length >= 2) {
      last.prefix = true;
      last.typed = true;
    }
    var exact = [];
    var prefix = null;
    terms.forEach(function (term) {
      term.keys.forEach(function (key, i) {
        if (term.prefix && i === term.keys.length - 1) {
          if (prefix === null) prefix = key;
        } else if (exact.indexOf(key) < 0) {
          exact.push(key);
        }
      });
    });
    return { terms: terms, exact: exact, prefix: prefix };
  }

  // bm25 as FTS5 computes it (casework/search_rank.py, the same operations in its order).
  function idf(matching, population) {
    var value = Math.log((population - matching + 0.5) / (matching + 0.5));
    return value > 0 ? value : 1e-6;
  }

  function tieKey(score) {
    return Number(score.toFixed(DIGITS));
  }

  /* The search itself, DOM-free: `load(path)` resolves to parsed JSON or null. */
  function createSearch(load) {
    var metaPromise = null;
    var shards = new Map();

    function meta() {
      if (!metaPromise) {
        metaPromise = Promise.resolve(load("meta.json")).catch(function () { return null; })
          .then(function (m) {
            return m && Array.isArray(m.records) && Array.isArray(m.shards) ? m : null;
          });
      }
      return metaPromise;
    }

    function shard(n) {
      if (!shards.has(n)) {
        shards.set(n, Promise.resolve(load("terms-" + n + ".json"))
          .catch(function () { return null; })
          .then(function (s) { return s && typeof s === "object" ? s : {}; }));
      }
      return shards.get(n);
    }

    // A term's postings, decoded once: a common word (a stopword) holds most records.
    var decoded = new Map();
    function exactPostings(m, term) {
      return shard(shardOf(m.shards, term)).then(function (s) {
        if (!decoded.has(term)) decoded.set(term, own(s, term) ? decode(s[term]) : new Map());
        return decoded.get(term);
      });
    }

    // Records of every term starting with `prefix`, each with its counts summed over those
    // terms (FTS5 counts every instance of a prefix). Null when `limited` (a word being
    // typed) and the prefix spans more than PREFIX_SHARDS shards.
    function prefixPostings(m, prefix, limited) {
      var first = shardOf(m.shards, prefix);
      var last = first;
      while (last + 1 < m.shards.length && String(m.shards[last + 1]).startsWith(prefix)) {
        last++;
        if (limited && last - first >= PREFIX_SHARDS) return Promise.resolve(null);
      }
      var wanted = [];
      for (var n = first; n <= last; n++) wanted.push(shard(n));
      return Promise.all(wanted).then(function (loaded) {
        var out = new Map();
        loaded.forEach(function (s) {
          Object.keys(s).forEach(function (term) {
            if (!term.startsWith(prefix)) return;
            decode(s[term]).forEach(function (counts, record) {
              var sum = out.get(record);
              out.set(record, sum === undefined ? counts : sum.map(function (c, f) {
                return c + counts[f];
              }));
            });
          });
        });
        return out;
      });
    }

    // For each term, for each of its keys (a phrase of FTS5's), the postings it matches.
    function termPostings(m, terms) {
      return Promise.all(terms.map(function (term) {
        return Promise.all(term.keys.map(function (key, i) {
          if (!term.prefix || i < term.keys.length - 1) return exactPostings(m, key);
          return prefixPostings(m, key, term.typed).then(function (found) {
            if (found !== null) return found;
            term.prefix = false;  // too short to complete: its exact word only
            return exactPostings(m, key);
          });
        }));
      }));
    }

    function matches(record, filters) {
      return (!filters.category || record[3] === filters.category) &&
        (!filters.severity || record[4] === filters.severity) &&
        (!filters.tag || (Array.isArray(record[5]) && record[5].indexOf(filters.tag) >= 0)) &&
        (!filters.country ||
          (Array.isArray(record[7]) && record[7].indexOf(filters.country) >= 0));
    }

    // The live engines' ranking (store/sqlite_search.py's module docstring), over the index's
    // records, its statistics those of every record it holds (all published):
    // the records holding every key somewhere, then
    // 1. ranking terms: those in the short fields of fewer than half the records;
    // 2. tiers, each by bm25 over the ranking terms' keys (newest first past RANK_BUDGET
    //    rows): every ranking term in the title or tags; every one in the short fields;
    //    any one in the short fields (two ranking terms or more);
    // 3. the rest: those whose title holds every term first, each part newest first.
    // Equal scores (rounded to DIGITS) go newest first: the lower index.
    function rank(m, terms, lists, filters) {
      var records = m.records;
      var population = records.length;
      var bm25 = own(m, "bm25") && m.bm25 && typeof m.bm25 === "object" ? m.bm25 : {};
      var weights = Array.isArray(bm25.weights) ? bm25.weights : [10, 5, 3, 3, 1];
      var k1 = typeof bm25.k1 === "number" ? bm25.k1 : 1.2;
      var b = typeof bm25.b === "number" ? bm25.b : 0.75;
      var HEAD = [0, 1, 2, 3, 4];
      var TITLE_TAGS = [0, 1];
      var TITLE = [0];
      var total = 0;
      records.forEach(function (r) { total += Array.isArray(r) ? Number(r[10]) || 0 : 0; });
      var avgdl = total / population;

      function inFields(counts, fields) {
        for (var i = 0; i < fields.length; i++) if (counts[fields[i]] > 0) return true;
        return false;
      }
      // Whether term `t` is in `fields` of record `r`: every one of its keys is.
      function termIn(t, r, fields) {
        return lists[t].every(function (list) {
          var counts = list.get(r);
          return counts !== undefined && inFields(counts, fields);
        });
      }
      function smallest(maps) {
        return maps.reduce(function (a, c) { return c.size < a.size ? c : a; });
      }

      var every = [];
      lists.forEach(function (l) { every.push.apply(every, l); });
      if (every.length === 0 || lists.some(function (l) { return l.length === 0; })) return [];
      var unplaced = new Uint8Array(population);
      var candidates = 0;
      smallest(every).forEach(function (_c, r) {
        var record = records[r];
        if (!Array.isArray(record) || !matches(record, filters)) return;
        for (var i = 0; i < every.length; i++) if (!every[i].has(r)) return;
        unplaced[r] = 1;
        candidates++;
      });
      var page = [];
      function place(rows) {
        rows.forEach(function (r) { page.push(r); unplaced[r] = 0; });
      }

      var ranking = [];
      terms.forEach(function (_term, t) {
        var frequency = 0;
        smallest(lists[t]).forEach(function (_c, r) { if (termIn(t, r, HEAD)) frequency++; });
        if (frequency > 0 && 2 * frequency < population) ranking.push(t);
      });
      var tiers = [];
      if (ranking.length) {
        tiers.push({ fields: TITLE_TAGS, all: true }, { fields: HEAD, all: true });
        if (ranking.length > 1) tiers.push({ fields: HEAD, all: false });
      }
      var phrases = [];
      ranking.forEach(function (t) { phrases.push.apply(phrases, lists[t]); });
      tiers.forEach(function (tier) {
        if (page.length >= candidates) return;
        var rows = new Set();
        (tier.all ? [smallest(phrases)] : phrases).forEach(function (list) {
          list.forEach(function (_c, r) { rows.add(r); });
        });
        var matched = 0;
        var found = [];
        rows.forEach(function (r) {
          var hit = tier.all ?
            ranking.every(function (t) { return termIn(t, r, tier.fields); }) :
            ranking.some(function (t) { return termIn(t, r, tier.fields); });
          if (!hit) return;
          matched++;
          if (unplaced[r]) found.push(r);
        });
        if (found.length === 0) return;
        if (matched > RANK_BUDGET) {
          place(found.sort(function (x, y) { return x - y; }));
          return;
        }
        var idfs = phrases.map(function (list) {
          var n = 0;
          list.forEach(function (counts) { if (inFields(counts, tier.fields)) n++; });
          return idf(n, population);
        });
        var scored = found.map(function (r) {
          var length = Number(records[r][10]) || 0;
          var score = 0;
          for (var i = 0; i < phrases.length; i++) {
            var counts = phrases[i].get(r);
            var f = 0;
            if (counts !== undefined) {
              tier.fields.forEach(function (field) { f += weights[field] * counts[field]; });
            }
            score += idfs[i] * ((f * (k1 + 1)) / (f + k1 * (1 - b + b * length / avgdl)));
          }
          return [tieKey(score), r];
        });
        scored.sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
        place(scored.map(function (pair) { return pair[1]; }));
      });
      var first = [];
      var rest = [];
      for (var r = 0; r < population; r++) {
        if (!unplaced[r]) continue;
        var inTitle = terms.every(function (_term, t) { return termIn(t, r, TITLE); });
        (inTitle ? first : rest).push(r);
      }
      place(first);
      place(rest);
      return page.map(function (r) { return records[r]; });
    }

    /* query: {q, category, severity, tag, country} → {ok, query, hasWords, records, labels}.
       country: an ISO 3166 code, in either case (the live search takes "ps" too). */
    function run(query) {
      var filters = { category: query.category || "", severity: query.severity || "",
        tag: query.tag || "", country: String(query.country || "").toUpperCase() };
      return meta().then(function (m) {
        if (m !== null) setLanguage(m.language);
        var parsed = parseQuery(query.q, Boolean(query.typing));
        var base = { ok: m !== null, query: String(query.q || "").trim(), records: [],
          parsed: parsed,
          hasWords: parsed.terms.length > 0,
          labels: m && m.labels && typeof m.labels === "object" ? m.labels : {} };
        if (m === null) return base;
        if (!base.hasWords) {
          if (base.query === "" && (filters.category || filters.severity || filters.tag ||
              filters.country)) {
            base.records = m.records.filter(function (r) {
              return Array.isArray(r) && matches(r, filters);
            });
          }
          return base;
        }
        return termPostings(m, parsed.terms).then(function (lists) {
          base.records = rank(m, parsed.terms, lists, filters);
          return base;
        });
      });
    }

    return { run: run, meta: meta };
  }

  /* ----- the /search/ page ----- */

  function label(labels, vocabulary, key) {
    var map = own(labels, vocabulary) ? labels[vocabulary] : null;
    return own(map, key) && typeof map[key] === "string" ? map[key] : String(key);
  }

  function count(n) {
    return Number(n).toLocaleString("en-US");
  }

  // The page's words (render/i18n.py script_words), which the page gives as JSON in
  // <script id="ui-words">; these English ones when it gives none (a page of an older build).
  var ENGLISH = {
    language: "en", plural: [1, 0], million: 1,
    unavailable: "Search is not available right now.",
    noFilterMatch: "No record matches these filters",
    filterMatches: ["%(num)s record matches these filters", "%(num)s records match these filters"],
    noMatch: "No record matches %(q)s",
    matches: ["%(num)s record matches %(q)s", "%(num)s records match %(q)s"],
    noWords: "No searchable word in %(q)s: try a longer or less common word.",
    showing: "; showing %(first)s\u2013%(last)s.",
    facets: { category: "Category", severity: "Severity", tag: "Tag", country: "Country" },
    ongoing: "Ongoing", previous: "Previous", next: "Next", page: "Page %(page)s of %(pages)s",
    notLoaded: "The listing's data could not be loaded.",
    columns: ["Date", "Title", "Category", "Severity", "Place", "Evidentiary standing"]
  };

  // `template` with each %(name)s replaced by values[name], as Python's % does.
  function fill(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (whole, name) {
      return own(values, name) ? String(values[name]) : whole;
    });
  }

  var plural = shared.plural;

  // What the live page says (web/public.py search_status), for page `page` of the result.
  function statusText(result, filtered, page, ui) {
    ui = ui || ENGLISH;
    if (!result.ok) return ui.unavailable;
    var n = result.records.length;
    var values = { q: "\u201c" + result.query + "\u201d", num: count(n) };
    var text;
    if (result.query === "") {
      if (!filtered) return "";
      text = n === 0 ? fill(ui.noFilterMatch, values) :
        fill(plural(ui, ui.filterMatches, n), values);
    } else if (!result.hasWords) {
      return fill(ui.noWords, values);
    } else {
      text = n === 0 ? fill(ui.noMatch, values) : fill(plural(ui, ui.matches, n), values);
    }
    if (n <= MAX_RESULTS) return text + ".";
    var first = ((page || 1) - 1) * MAX_RESULTS + 1;
    return text + fill(ui.showing, { first: count(first),
      last: count(Math.min(n, first + MAX_RESULTS - 1)) });
  }

  var FACETS = [["category", 3], ["severity", 4], ["tag", 5], ["country", 7]];
  var FACET_VALUES = 12;

  // Facet counts of every match, as the live page lists them: the commonest values first.
  function facetCounts(records) {
    return FACETS.map(function (facet) {
      var counts = new Map();
      records.forEach(function (record) {
        var value = record[facet[1]];
        (Array.isArray(value) ? value : [value]).forEach(function (v) {
          if (typeof v === "string" && v) counts.set(v, (counts.get(v) || 0) + 1);
        });
      });
      var values = Array.from(counts.entries()).sort(function (a, b) {
        return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
      });
      return { name: facet[0], values: values.slice(0, FACET_VALUES) };
    });
  }

  function span(doc, className, text) {
    var el = doc.createElement("span");
    el.className = className;
    el.textContent = text;
    return el;
  }

  // `text` into `parent`, each word whose search key the query holds (or, for the word being
  // typed, starts with) in a <mark>: as the server marks its snippets.
  function appendMarked(doc, parent, text, parsed) {
    var wanted = new Set(parsed ? parsed.exact : []);
    var prefix = parsed ? parsed.prefix : null;
    var source = String(text).normalize("NFC");
    var word = /[\p{L}\p{N}]+/gu;
    var at = 0;
    var found;
    while ((found = word.exec(source)) !== null) {
      var hit = stem(found[0].toLowerCase()).some(function (key) {
        return wanted.has(key) || (prefix !== null && key.startsWith(prefix));
      });
      if (!hit) continue;
      if (found.index > at) parent.appendChild(doc.createTextNode(source.slice(at, found.index)));
      var mark = doc.createElement("mark");
      mark.textContent = found[0];
      parent.appendChild(mark);
      at = found.index + found[0].length;
    }
    if (at < source.length) parent.appendChild(doc.createTextNode(source.slice(at)));
  }

  // The listings' card (render/pages.py card_html), the summary's matches marked.
  function resultItem(doc, record, root, labels, parsed, ui) {
    ui = ui || ENGLISH;
    var li = doc.createElement("li");
    li.className = "card";
    var heading = doc.createElement("h2");
    var link = doc.createElement("a");
    link.setAttribute("href", root + "incident/" + encodeURIComponent(String(record[0])) + "/");
    link.textContent = String(record[1]);
    heading.appendChild(link);
    li.appendChild(heading);
    // Severity (and "ongoing") first, filled; the date; category and posture as quiet labels.
    var details = doc.createElement("p");
    details.className = "meta";
    details.appendChild(span(doc, "badge sev-" + String(record[4]),
      label(labels, "severity", record[4])));
    if (record[9] === true) {
      details.appendChild(doc.createTextNode(" "));
      details.appendChild(span(doc, "badge ongoing", ui.ongoing));
    }
    details.appendChild(doc.createTextNode(" "));
    var time = doc.createElement("time");
    time.setAttribute("datetime", String(record[2]));
    time.textContent = displayDate(record[2], ui.language);
    details.appendChild(time);
    details.appendChild(doc.createTextNode(" \u00b7 "));
    details.appendChild(span(doc, "label", label(labels, "category", record[3])));
    if (record[8]) {
      details.appendChild(doc.createTextNode(" \u00b7 "));
      details.appendChild(span(doc, "label posture", label(labels, "posture", record[8])));
    }
    li.appendChild(details);
    if (record[6]) {
      var summary = doc.createElement("p");
      if (parsed && (parsed.exact.length || parsed.prefix !== null)) summary.className = "snippet";
      appendMarked(doc, summary, record[6], parsed);
      li.appendChild(summary);
    }
    return li;
  }

  function selectValue(select, value) {
    if (!select || !value) return;
    var present = Array.prototype.some.call(select.options, function (o) {
      return o.value === value;
    });
    var name = select.getAttribute("name");
    if (!present && (name === "tag" || name === "country")) {
      // The page lists the common tags and the countries records name: a link may name
      // another (it finds nothing, as the live search says). Category and severity lists
      // are whole vocabularies, so an unknown key there is dropped.
      var option = select.ownerDocument.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    }
    select.value = value;
  }

  function attach(doc, win) {
    var form = doc.getElementById("search-form");
    var status = doc.getElementById("search-status");
    var list = doc.getElementById("search-results");
    if (!form || !status || !list) return null;
    var indexBase = form.getAttribute("data-index") || "index/";
    var root = form.getAttribute("data-root") || "../";
    var ui = shared.pageWords(doc, ENGLISH);
    var search = createSearch(function (path) {
      return win.fetch(indexBase + path).then(function (r) { return r.ok ? r.json() : null; });
    });
    var fields = ["q", "category", "severity", "tag", "country"];
    var facetsBox = doc.getElementById("search-facets");
    var pager = doc.getElementById("search-pager");
    var pageNumber = 1;
    var latest = 0;
    var timer = null;
    // The table view and the downloads (static/listing.js's, over the shared listing files,
    // which have what the table shows and the records' CSV rows and JSON documents): a page
    // without listing.js (node's tests) shows cards and offers no download.
    var listing = underNode ? null : globalThis.caseworkListing;
    var viewField = field("view");
    var tableBox = doc.getElementById("search-table");
    var downloadsBox = doc.getElementById("search-downloads");
    var rowsLoaded = null;
    var offered = null;
    var shown = 0;
    if (listing && downloadsBox) {
      offered = listing.offerDownloads(doc, ["search-csv", "search-json"], function () {
        return Promise.reject(new Error("no result yet"));
      }, function () {
        status.textContent = ui.notLoaded;
      });
    }

    // The listing files' rows of `records` (search results, in their order).
    function rowsOf(records) {
      if (!rowsLoaded) {
        rowsLoaded = listing.loadRows(downloadsBox.getAttribute("data-rows")).then(function (data) {
          var bySlug = new Map();
          data.rows.forEach(function (row) { bySlug.set(row.slug, row); });
          return { data: data, bySlug: bySlug };
        });
      }
      return rowsLoaded.then(function (got) {
        var rows = records.map(function (r) { return got.bySlug.get(String(r[0])); });
        return { data: got.data, records: rows.filter(Boolean) };
      });
    }

    function field(name) {
      return form.elements.namedItem(name);
    }

    function current() {
      var query = {};
      fields.forEach(function (name) {
        var el = field(name);
        query[name] = el && typeof el.value === "string" ? el.value : "";
      });
      query.view = viewField && viewField.value === "table" && listing && tableBox ? "table" : "";
      return query;
    }

    function remember(query) {
      try {
        var params = new URLSearchParams();
        fields.forEach(function (name) { if (query[name]) params.set(name, query[name]); });
        if (query.view) params.set("view", query.view);
        if (pageNumber > 1) params.set("page", String(pageNumber));
        var search = params.toString();
        win.history.replaceState(null, "", win.location.pathname + (search ? "?" + search : "") +
          win.location.hash);
      } catch (e) {
        // Some hosts (file:) refuse history changes; the search still works.
      }
    }

    function address(query, change) {
      var params = new URLSearchParams();
      fields.forEach(function (name) { if (query[name]) params.set(name, query[name]); });
      if (query.view) params.set("view", query.view);
      Object.keys(change).forEach(function (name) { params.set(name, String(change[name])); });
      return "?" + params.toString();
    }

    function clear(el) {
      while (el.firstChild) el.removeChild(el.firstChild);
    }

    function link(href, text, rel) {
      var a = doc.createElement("a");
      a.setAttribute("href", href);
      if (rel) a.setAttribute("rel", rel);
      a.textContent = text;
      return a;
    }

    function showFacets(result, query) {
      if (!facetsBox) return;
      clear(facetsBox);
      if (!result.records.length) return;
      facetCounts(result.records).forEach(function (facet) {
        if (!facet.values.length) return;
        var p = doc.createElement("p");
        p.appendChild(span(doc, "facet-name", ui.facets[facet.name] + ":"));
        facet.values.forEach(function (pair, i) {
          var change = {};
          change[facet.name] = pair[0];
          p.appendChild(doc.createTextNode(" "));
          var shown = facet.name === "category" || facet.name === "severity" ?
            label(result.labels, facet.name, pair[0]) : pair[0];
          p.appendChild(link(address(query, change), shown));
          p.appendChild(doc.createTextNode(" (" + pair[1] + ")" +
            (i < facet.values.length - 1 ? "," : "")));
        });
        facetsBox.appendChild(p);
      });
    }

    function showPager(result, query) {
      if (!pager) return;
      clear(pager);
      var pages = Math.max(1, Math.ceil(result.records.length / MAX_RESULTS));
      if (pages < 2) return;
      if (pageNumber > 1) {
        pager.appendChild(link(address(query, { page: pageNumber - 1 }), ui.previous, "prev"));
        pager.appendChild(doc.createTextNode(" "));
      }
      pager.appendChild(span(doc, "", fill(ui.page, { page: pageNumber, pages: pages })));
      if (pageNumber < pages) {
        pager.appendChild(doc.createTextNode(" "));
        pager.appendChild(link(address(query, { page: pageNumber + 1 }), ui.next, "next"));
      }
    }

    function show(result, query) {
      var filtered = Boolean(query.category || query.severity || query.tag || query.country);
      var pages = Math.max(1, Math.ceil(result.records.length / MAX_RESULTS));
      if (pageNumber > pages) pageNumber = 1;
      status.textContent = statusText(result, filtered, pageNumber, ui);
      showFacets(result, query);
      var first = (pageNumber - 1) * MAX_RESULTS;
      var shownRecords = result.records.slice(first, first + MAX_RESULTS);
      var ticket = ++shown;
      clear(list);
      if (tableBox) clear(tableBox);
      if (query.view === "table" && shownRecords.length) {
        // As the listings' table: the rows of the listing files, in the result's order.
        list.hidden = true;
        rowsOf(shownRecords).then(function (got) {
          if (ticket !== shown) return;
          tableBox.appendChild(listing.table(doc, got.records, root, got.data.manifest.labels,
            ui));
        }, function () {
          if (ticket === shown) status.textContent = ui.notLoaded;
        });
      } else {
        list.hidden = false;
        var items = doc.createDocumentFragment();
        shownRecords.forEach(function (record) {
          items.appendChild(resultItem(doc, record, root, result.labels, result.parsed, ui));
        });
        list.appendChild(items);
      }
      showPager(result, query);
      if (offered) {
        // Every match, in the result's order: what the live app's ?format= sends.
        var every = result.records;
        offered.forget(function () { return rowsOf(every); });
        downloadsBox.hidden = every.length === 0;
      }
    }

    // typing: run by the reader (typing, a filter, the button), which completes the last word
    // (parseQuery); the first run, from the page's address, does not: a link to /search/?q=
    // finds what the live search finds.
    function update(typing) {
      if (timer !== null) { win.clearTimeout(timer); timer = null; }
      var query = current();
      query.typing = typing === true;
      if (query.typing) pageNumber = 1;  // a new search starts at its first page
      var ticket = ++latest;
      remember(query);
      return search.run(query).then(function (result) {
        if (ticket === latest) show(result, query);
      }, function () {
        if (ticket === latest) show({ ok: false, records: [] }, query);
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update(true);
    });
    form.addEventListener("input", function (event) {
      if (event.target && event.target.tagName === "SELECT") return;  // "change" runs it
      if (timer !== null) win.clearTimeout(timer);
      timer = win.setTimeout(function () { update(true); }, DEBOUNCE_MS);
    });
    form.addEventListener("change", function (event) {
      if (event.target && event.target.tagName === "SELECT") update(true);
    });

    var params = new URLSearchParams(win.location.search);
    pageNumber = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    fields.forEach(function (name) {
      var value = params.get(name) || "";
      if (name === "country") value = value.toUpperCase();  // its options are codes in capitals
      var el = field(name);
      if (!el || !value) return;
      if (el.tagName === "SELECT") selectValue(el, value); else el.value = value;
    });
    if (viewField && params.get("view") === "table") viewField.value = "table";
    search.meta();  // start loading while the reader types
    return update();
  }

  var api = {
    fold: fold, words: words, tokenize: tokenize, keep: keep, shardOf: shardOf,
    decode: decode, parseQuery: parseQuery, createSearch: createSearch, attach: attach,
    setLanguage: setLanguage,
    statusText: statusText, displayDate: displayDate
  };
  if (typeof module === "object" && module && module.exports) module.exports = api;
  if (typeof document !== "undefined" && typeof window !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { attach(document, window); });
    } else {
      attach(document, window);
    }
  }
})();
