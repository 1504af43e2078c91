// Runs render/static/search.js under node for test_search_js.py: reads one JSON request on
// stdin, prints one JSON answer. No npm packages: the page is a small fake DOM below, which
// throws if the script ever touches innerHTML.
"use strict";
const fs = require("fs");
const path = require("path");
const search = require(path.join(__dirname, "../../src/casework/render/static/search.js"));

function loader(dir, fetched) {
  return (name) => {
    fetched.push(name);
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) return Promise.resolve(null);
    return Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8")));
  };
}

async function runQueries(req) {
  const fetched = [];
  const engine = search.createSearch(loader(req.index, fetched));
  const answers = [];
  for (const query of req.queries) {
    const result = await engine.run(query);
    answers.push({ ok: result.ok, hasWords: result.hasWords,
      slugs: result.records.map((r) => r[0]) });
  }
  return { answers, fetched };
}

// ----- a fake DOM, just what search.js uses -----
class Node {
  constructor(doc) { this.ownerDocument = doc; this.childNodes = []; this.parentNode = null; }
  get firstChild() { return this.childNodes[0] || null; }
  appendChild(child) {
    if (child.isFragment) {
      for (const c of child.childNodes.slice()) this.appendChild(c);
      return child;
    }
    if (child.parentNode) child.parentNode.removeChild(child);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  removeChild(child) {
    this.childNodes.splice(this.childNodes.indexOf(child), 1);
    child.parentNode = null;
    return child;
  }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(""); }
  set textContent(value) {
    this.childNodes = [];
    if (value !== "") this.appendChild(new Text(this.ownerDocument, String(value)));
  }
  set innerHTML(_) { throw new Error("innerHTML written"); }
  get innerHTML() { throw new Error("innerHTML read"); }
  descendants() { return this.childNodes.flatMap((c) => [c, ...c.descendants()]); }
}
class Text extends Node {
  constructor(doc, data) { super(doc); this.data = data; }
  get textContent() { return this.data; }
  descendants() { return []; }
  toJSON() { return { text: this.data }; }
}
class Element extends Node {
  constructor(doc, tag) {
    super(doc);
    this.tagName = tag.toUpperCase();
    this.attrs = {};
    this.listeners = {};
    this.className = "";
    this.value = "";
  }
  setAttribute(name, value) { this.attrs[name] = String(value); }
  getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  dispatch(type, target) {
    const event = { type, target: target || this, defaultPrevented: false,
      preventDefault() { this.defaultPrevented = true; } };
    for (const fn of this.listeners[type] || []) fn(event);
    return event;
  }
  toJSON() {
    return { tag: this.tagName.toLowerCase(), attrs: this.attrs, className: this.className,
      children: this.childNodes };
  }
}
class Select extends Element {
  constructor(doc) { super(doc, "select"); this.chosen = ""; }
  get options() { return this.childNodes.filter((c) => c.tagName === "OPTION"); }
  get value() { return this.chosen; }
  set value(v) {
    // As a browser does: a value no option has selects nothing.
    this.chosen = this.options && this.options.some((o) => o.value === v) ? v : "";
  }
}
class Form extends Element {
  constructor(doc) {
    super(doc, "form");
    this.elements = { namedItem: (name) =>
      this.descendants().find((e) => e instanceof Element && e.getAttribute("name") === name) ||
        null };
  }
}
class Document extends Node {
  constructor() { super(null); this.ownerDocument = this; this.readyState = "complete"; }
  createElement(tag) {
    if (tag === "select") return new Select(this);
    if (tag === "form") return new Form(this);
    return new Element(this, tag);
  }
  createTextNode(data) { return new Text(this, data); }
  createDocumentFragment() { const f = new Node(this); f.isFragment = true; return f; }
  getElementById(id) {
    return this.descendants().find((e) => e instanceof Element && e.getAttribute("id") === id) ||
      null;
  }
}

function searchPage(doc, options) {
  const form = doc.createElement("form");
  form.setAttribute("id", "search-form");
  form.setAttribute("data-index", "/search/index/");
  form.setAttribute("data-root", "/");
  const q = doc.createElement("input");
  q.setAttribute("name", "q");
  form.appendChild(q);
  for (const name of ["category", "severity", "tag"]) {
    const select = doc.createElement("select");
    select.setAttribute("name", name);
    for (const value of ["", ...(options[name] || [])]) {
      const option = doc.createElement("option");
      option.value = value;
      option.textContent = value || "Any";
      select.appendChild(option);
    }
    form.appendChild(select);
  }
  const status = doc.createElement("p");
  status.setAttribute("id", "search-status");
  const facets = doc.createElement("div");
  facets.setAttribute("id", "search-facets");
  const list = doc.createElement("ol");
  list.setAttribute("id", "search-results");
  const pager = doc.createElement("nav");
  pager.setAttribute("id", "search-pager");
  for (const el of [form, status, facets, list, pager]) doc.appendChild(el);
  return { form, status, facets, list, pager };
}

const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function runPage(req) {
  const doc = new Document();
  const page = searchPage(doc, req.options || {});
  const fetched = [];
  const urls = [];
  const read = loader(req.index, fetched);
  const win = {
    location: { pathname: "/search/", search: req.search || "", hash: "" },
    history: { replaceState: (_state, _title, url) => urls.push(url) },
    fetch: (url) => {
      if (!url.startsWith("/search/index/")) throw new Error("fetch outside the index: " + url);
      return read(url.slice("/search/index/".length)).then((data) => ({
        ok: data !== null, json: () => Promise.resolve(data) }));
    },
    setTimeout, clearTimeout,
  };
  await search.attach(doc, win);
  const snapshots = [];
  const snapshot = () => snapshots.push({ status: page.status.textContent,
    facets: page.facets.textContent, pager: page.pager.textContent,
    items: JSON.parse(JSON.stringify(page.list.childNodes)), url: urls[urls.length - 1],
    form: Object.fromEntries(["q", "category", "severity", "tag"].map(
      (n) => [n, page.form.elements.namedItem(n).value])) });
  snapshot();
  for (const action of req.actions || []) {
    const el = page.form.elements.namedItem(action.field || "q");
    if ("value" in action) el.value = action.value;
    if (action.event === "submit") {
      const event = page.form.dispatch("submit", page.form);
      if (!event.defaultPrevented) throw new Error("submit not prevented");
    } else {
      page.form.dispatch(action.event, el);
    }
    await settle(action.wait || 30);
    snapshot();
  }
  return { snapshots, fetched };
}

async function main() {
  const req = JSON.parse(fs.readFileSync(0, "utf8"));
  let answer;
  if (req.op === "words") {
    answer = { words: req.texts.map(search.words), tokens: req.texts.map(search.tokenize) };
  } else if (req.op === "search") {
    answer = await runQueries(req);
  } else if (req.op === "page") {
    answer = await runPage(req);
  } else {
    throw new Error("unknown op " + req.op);
  }
  process.stdout.write(JSON.stringify(answer));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
