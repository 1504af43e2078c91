/* casework: the words listing.js and search.js write on the static site, read once here.
 *
 * A page gives its words in the site's language as JSON in <script id="ui-words">
 * (render/i18n.py script_words): a count's line in every plural form of the catalog, and the
 * table that says which form a count takes. This script reads them, picks a count's form and
 * writes a record's day as its card says it; listing.js and search.js load it first (a page
 * lists it before them) and under node search.js requires it.
 */
(function (root) {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  // The page's words over `english`, the script's own: a page without them (an older build),
  // or with words that do not parse, reads as before.
  function pageWords(doc, english) {
    var node = doc.getElementById("ui-words");
    if (!node) return english;
    try {
      var given = JSON.parse(node.textContent);
      return given && typeof given === "object" ? Object.assign({}, english, given) : english;
    } catch (e) {
      return english;
    }
  }

  // ngettext: the form of `n` among `forms`, by the catalog's rule given as a table
  // (render/i18n.py plural_form says how the table gives it).
  function plural(words, forms, n) {
    var table = words.plural;
    var index = n < table.length ? table[n] :
      n % 1000000 === 0 ? words.million : table[100 + n % 100];
    return forms[index] !== undefined ? forms[index] : forms[forms.length - 1];
  }

  // A count's line: its form, with %(num)s the count as the server writes it (1,234).
  function counted(words, forms, n) {
    return String(plural(words, forms, n)).replace("%(num)s", Number(n).toLocaleString("en-US"));
  }

  // A record's day as its card says it: in English as render/i18n.py's day_in_words; in
  // another language the browser's own long date (Babel's on the built pages).
  function displayDate(iso, lang) {
    var parts = String(iso).split("-");
    var month = MONTHS[Number(parts[1]) - 1];
    if (parts.length !== 3 || !month) return String(iso);
    if (lang && lang !== "en" && typeof Intl === "object") {
      try {
        return new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric",
          timeZone: "UTC" }).format(new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 1,
          Number(parts[2]))));
      } catch (e) {
        // An engine without that language: the English date below.
      }
    }
    return month + " " + Number(parts[2]) + ", " + parts[0];
  }

  var api = { MONTHS: MONTHS, pageWords: pageWords, plural: plural, counted: counted,
    displayDate: displayDate };
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else root.caseworkWords = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
