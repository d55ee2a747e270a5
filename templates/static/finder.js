// The directory's filters (/ondernemers/): progressive enhancement of the static list.
// Without JavaScript the form stays hidden and the pages list every enterprise. With it,
// this reads ondernemers/filters.js (a script calling SitegenFinder.receive, so it also
// loads from disk) and, while any filter is set, shows exactly the matching enterprises,
// in copies of the card <template> the page renders from macros.html. The filters live in
// the URL (?categorie=catering&werkgebied=breda), so a filtered list can be shared.
"use strict";

(() => {
  const root = document.querySelector(".finder");
  const template = document.getElementById("finder-card");
  if (!root || !template || !("content" in template)) return;
  const form = root.querySelector(".finder-form");
  const toggle = root.querySelector(".finder-toggle");
  const count = root.querySelector(".finder-count");
  const staticList = root.querySelector(".finder-static");
  const list = root.querySelector(".finder-list");
  const more = root.querySelector(".finder-more-results");
  const empty = root.querySelector(".finder-empty");
  const clear = root.querySelector(".finder-clear");
  const staticCount = count.textContent;
  const pageSize = Number(root.dataset.pageSize) || 24;

  // The URL's names, in the order they are written; several values of one name mean
  // "any of", different names combine with AND.
  const NAMES = ["categorie", "werkgebied", "thema", "erkenning", "voorbehouden", "social-return", "omvang"];
  const YES_NO = new Set(["voorbehouden", "social-return"]);
  const boxes = [...form.querySelectorAll("input[type=checkbox]")];
  const known = Object.fromEntries(NAMES.map((name) => [name, new Set()]));
  for (const box of boxes) known[box.name].add(box.value);

  let data = null;
  let state = emptyState();
  let results = [];
  let shown = 0;

  function emptyState() {
    return Object.fromEntries(NAMES.map((name) => [name, []]));
  }

  const format = (text, values) => text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  const resultsText = (n) => (n === 0 ? root.dataset.resultsNone
    : n === 1 ? root.dataset.resultsOne : format(root.dataset.results, { count: n }));

  // Whether an enterprise has one value of one filter. `werkgebied` holds every region and
  // municipality it delivers in (the build's Delivery.covers), or "*" for everywhere.
  const has = (enterprise, name, value) => {
    const field = enterprise[name];
    if (YES_NO.has(name)) return field === true && value === "ja";
    if (name === "omvang") return field === value;
    if (!Array.isArray(field)) return false;
    return field.includes(value) || (name === "werkgebied" && field[0] === "*");
  };
  const inGroup = (enterprise, name, values) => values.length === 0 || values.some((value) => has(enterprise, name, value));
  const matches = (enterprise, skip) => NAMES.every((name) => name === skip || inGroup(enterprise, name, state[name]));
  const activeCount = () => NAMES.reduce((sum, name) => sum + state[name].length, 0);

  const query = (values) => {
    const params = new URLSearchParams();
    for (const name of NAMES) for (const value of values[name]) params.append(name, value);
    const text = params.toString();
    return text ? `?${text}` : "";
  };

  // Unknown names and values in the URL are left out: nothing selected for them.
  const fromURL = () => {
    const params = new URLSearchParams(window.location.search);
    const found = emptyState();
    for (const name of NAMES) {
      found[name] = [...new Set(params.getAll(name))].filter((value) => known[name].has(value));
    }
    return found;
  };

  const fromForm = () => {
    const found = emptyState();
    for (const box of boxes) if (box.checked && !found[box.name].includes(box.value)) found[box.name].push(box.value);
    return found;
  };

  const base = () => new URL(root.dataset.data, document.baseURI);

  const card = (enterprise) => {
    const node = template.content.firstElementChild.cloneNode(true);
    const link = node.querySelector(".card-title a");
    link.textContent = enterprise.name || "";
    link.setAttribute("href", new URL(enterprise.url, base()).href);
    node.querySelector(".card-meta").textContent = enterprise.meta || "";
    node.querySelector(".card-area").textContent = enterprise.area || "";
    node.querySelector(".card-summary").textContent = enterprise.summary || "";
    const tags = node.querySelector(".tags");
    const example = tags.querySelector(".badge-example");
    if (example && !enterprise.example) example.remove();
    const badge = tags.querySelector(".badge:not(.badge-example)");
    for (const slug of enterprise.categorie || []) {
      const copy = badge.cloneNode(true);
      copy.textContent = data.categories[slug] || slug;
      tags.append(copy, " ");
    }
    badge.remove();
    return node;
  };

  const showMore = () => {
    const next = results.slice(shown, shown + pageSize);
    list.append(...next.map(card));
    shown += next.length;
    const left = results.length - shown;
    more.hidden = left <= 0;
    more.querySelector("button").textContent = format(root.dataset.more, { count: left });
    return next.length;
  };

  // The count each option would give with it added to what is chosen now.
  const updateCounts = () => {
    for (const name of NAMES) {
      const others = data.enterprises.filter((enterprise) => matches(enterprise, name));
      for (const box of boxes) {
        if (box.name !== name) continue;
        const values = state[name].includes(box.value) ? state[name] : [...state[name], box.value];
        const n = others.filter((enterprise) => inGroup(enterprise, name, values)).length;
        box.parentElement.querySelector(".finder-option-count").textContent = `(${n})`;
      }
    }
  };

  const labelOf = (name, value) => {
    const box = boxes.find((candidate) => candidate.name === name && candidate.value === value);
    return box ? box.parentElement.querySelector(".finder-label").textContent : value;
  };

  // An empty list offers to drop each chosen value, one at a time, with what that gives.
  const offerWithout = () => {
    const options = empty.querySelector("ul");
    options.replaceChildren();
    const chosen = state;
    for (const name of NAMES) {
      for (const value of chosen[name]) {
        state = { ...chosen, [name]: chosen[name].filter((other) => other !== value) };
        const n = data.enterprises.filter((enterprise) => matches(enterprise)).length;
        const link = document.createElement("a");
        link.setAttribute("href", query(state) || window.location.pathname);
        link.textContent = format(root.dataset.without, { label: labelOf(name, value), results: resultsText(n) });
        const without = state;
        link.addEventListener("click", (event) => {
          event.preventDefault();
          state = without;
          render("push");
          const first = list.querySelector("a") || boxes.find((box) => box.name === name && box.value === value);
          if (first) first.focus();
        });
        const item = document.createElement("li");
        item.append(link);
        options.append(item);
      }
    }
    state = chosen;
  };

  // history: "push" after a change here, "replace" on load, null after back/forward.
  function render(history) {
    for (const box of boxes) box.checked = state[box.name].includes(box.value);
    for (const details of form.querySelectorAll("details")) {
      if (details.querySelector("input:checked")) details.open = true;
    }
    const active = activeCount();
    toggle.textContent = format(root.dataset.toggle, { count: active });
    clear.hidden = active === 0;
    updateCounts();
    if (active === 0) {
      count.textContent = staticCount;
      staticList.hidden = false;
      list.hidden = more.hidden = empty.hidden = true;
      list.replaceChildren();
    } else {
      results = data.enterprises.filter((enterprise) => matches(enterprise));
      count.textContent = resultsText(results.length);
      staticList.hidden = true;
      list.replaceChildren();
      shown = 0;
      showMore();
      list.hidden = results.length === 0;
      empty.hidden = results.length > 0;
      if (results.length === 0) offerWithout();
    }
    const url = window.location.pathname + query(state) + window.location.hash;
    if (history === "push" && url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.pushState(null, "", url);
    } else if (history === "replace") {
      window.history.replaceState(null, "", url);
    }
  }

  const start = () => {
    form.hidden = false;
    toggle.hidden = false;
    root.classList.add("finder-ready");
    state = fromURL();
    render(activeCount() ? "replace" : null);
  };

  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", () => {
    state = fromForm();
    render("push");
  });
  clear.querySelector("a").addEventListener("click", (event) => {
    event.preventDefault();
    state = emptyState();
    render("push");
    const first = boxes[0];
    if (first) first.focus();
  });
  more.querySelector("button").addEventListener("click", () => {
    const before = shown;
    if (showMore()) list.children[before].querySelector("a").focus();
  });
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    root.classList.toggle("finder-open", open);
  });
  window.addEventListener("popstate", () => {
    if (!data) return;
    state = fromURL();
    render(null);
  });

  window.SitegenFinder = {
    receive(value) {
      data = value;
      start();
    },
  };
  const script = document.createElement("script");
  script.src = root.dataset.data;
  document.head.append(script);
})();
