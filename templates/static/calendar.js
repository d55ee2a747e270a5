// Filters for the calendar page: every open purchase is already on the page, so the
// filters show and hide its rows by their data attributes. The state lives in the URL
// (?categorie=catering&werkgebied=breda&kans=perceel&organisatie=...), several values of
// one filter mean "any of", and filters combine with "and". Without JavaScript the form
// stays hidden and the page lists everything, with links to the category pages.
"use strict";

(() => {
  const finder = document.getElementById("calendar-finder");
  if (!finder) return;
  const form = finder.querySelector(".finder-filters");
  const total = finder.querySelector(".finder-total");
  const toggle = finder.querySelector(".finder-toggle");
  const empty = finder.querySelector(".finder-empty");
  const drops = empty.querySelector("[data-drops]");
  const clearButton = form.querySelector(".finder-clear");
  const doneButton = form.querySelector(".finder-done");
  const rows = [...finder.querySelectorAll("tr[data-categorie]")];
  const sections = [...finder.querySelectorAll("section[data-quarter]")];
  const quarterNav = finder.querySelector(".finder-quarters");
  const quarterLinks = [...quarterNav.querySelectorAll("a[data-quarter]")];
  const names = [...form.querySelectorAll("fieldset[data-filter]")].map((set) => set.dataset.filter);
  const boxes = [...form.querySelectorAll("input[type=checkbox]")];
  const strings = finder.dataset;

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  const resultsText = (count) => (count === 0 ? strings.resultsNone
    : count === 1 ? strings.resultsOne : fill(strings.results, { count }));

  // What a row offers per filter; "*" in werkgebied: the purchase names no area, so it is
  // for every place.
  const facts = new Map(rows.map((row) => [row, Object.fromEntries(names.map(
    (name) => [name, (row.dataset[name] || "").split(" ").filter(Boolean)]))]));

  const labelOf = (box) => box.closest("label").querySelector("[data-label]").textContent;
  const boxFor = (name, value) => boxes.find((box) => box.name === name && box.value === value);

  // The state: per filter the chosen values, only values the page knows.
  const readUrl = () => {
    const params = new URLSearchParams(window.location.search);
    const state = new Map(names.map((name) => [name, new Set()]));
    for (const name of names) {
      for (const raw of params.getAll(name)) {
        for (const value of raw.split(",")) {
          if (boxFor(name, value.trim())) state.get(name).add(value.trim());
        }
      }
    }
    return state;
  };
  const readForm = () => new Map(names.map((name) => [name,
    new Set(boxes.filter((box) => box.name === name && box.checked).map((box) => box.value))]));

  const passes = (row, state) => {
    const offered = facts.get(row);
    for (const [name, chosen] of state) {
      if (chosen.size === 0) continue;
      const values = offered[name];
      if (!values.includes("*") && !values.some((value) => chosen.has(value))) return false;
    }
    return true;
  };
  const countWith = (state) => rows.filter((row) => passes(row, state)).length;

  const queryOf = (state) => {
    const params = new URLSearchParams();
    for (const [name, chosen] of state) for (const value of chosen) params.append(name, value);
    const text = params.toString();
    return text ? "?" + text : "";
  };

  const writeUrl = (state) => {
    const target = window.location.pathname + queryOf(state) + window.location.hash;
    try {
      window.history.replaceState(null, "", target);
    } catch (error) {
      // Some browsers refuse to change the address of a page opened from disk; the
      // filters still work, only the address does not follow.
    }
  };

  const dropLinks = (state) => {
    drops.replaceChildren();
    for (const [name, chosen] of state) {
      if (chosen.size === 0) continue;
      const without = new Map(state);
      without.set(name, new Set());
      const values = [...chosen].map((value) => labelOf(boxFor(name, value)));
      const text = values.length > 1
        ? values.slice(0, -1).join(", ") + " " + strings.or + " " + values[values.length - 1] : values[0];
      const link = document.createElement("a");
      link.href = queryOf(without) || window.location.pathname;
      link.dataset.drop = name;
      link.textContent = fill(strings.without, { values: text, results: resultsText(countWith(without)) });
      const item = document.createElement("li");
      item.append(link);
      drops.append(item);
    }
  };

  const show = (state) => {
    for (const box of boxes) {
      box.checked = state.get(box.name).has(box.value);
      // An option no open purchase has appears only while a link has chosen it.
      const item = box.closest("li");
      if (box.checked) item.hidden = false;
    }
    for (const details of form.querySelectorAll("details")) {
      if (details.querySelector("input:checked")) details.open = true;
    }
    // An option's count: the purchases the other filters let through that have it.
    for (const name of names) {
      const others = new Map(state);
      others.delete(name);
      for (const box of boxes.filter((b) => b.name === name)) {
        const count = rows.filter((row) => passes(row, others)
          && (facts.get(row)[name].includes(box.value) || facts.get(row)[name].includes("*"))).length;
        box.closest("label").querySelector("[data-count]").textContent = "(" + count + ")";
      }
    }
    let visible = 0;
    for (const row of rows) {
      row.hidden = !passes(row, state);
      if (!row.hidden) visible += 1;
    }
    for (const section of sections) {
      const shown = section.querySelectorAll("tr[data-categorie]:not([hidden])").length;
      section.hidden = shown === 0;
      const link = quarterLinks.find((a) => a.dataset.quarter === section.dataset.quarter);
      if (link) {
        link.hidden = shown === 0;
        link.querySelector("[data-count]").textContent = "(" + shown + ")";
      }
    }
    const chosen = [...state.values()].reduce((sum, set) => sum + set.size, 0);
    if (total.textContent !== resultsText(visible)) total.textContent = resultsText(visible);
    toggle.textContent = chosen ? fill(strings.toggleCount, { count: chosen }) : strings.toggle;
    clearButton.hidden = chosen === 0;
    doneButton.textContent = visible ? fill(strings.show, { results: resultsText(visible) }) : strings.showNone;
    empty.hidden = visible > 0;
    quarterNav.hidden = visible === 0;
    if (visible === 0) dropLinks(state); else drops.replaceChildren();
  };

  const apply = (state) => {
    show(state);
    writeUrl(state);
  };

  form.addEventListener("change", () => apply(readForm()));
  form.addEventListener("submit", (event) => event.preventDefault());

  // Links that change the filters (drop one, clear all) stay on the page: the rows they
  // would show are here already.
  finder.addEventListener("click", (event) => {
    const target = event.target.closest("[data-drop], [data-clear]");
    if (!target) return;
    event.preventDefault();
    const state = readForm();
    if (target.dataset.drop) state.set(target.dataset.drop, new Set());
    else for (const name of names) state.set(name, new Set());
    apply(state);
    // The link or button is gone once it has done its work; the count says what came back.
    total.focus();
  });

  const fold = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    finder.classList.toggle("is-open", open);
  };
  toggle.addEventListener("click", () => fold(toggle.getAttribute("aria-expanded") !== "true"));
  // On a phone the open filters cover the results; this button folds them away again.
  doneButton.addEventListener("click", () => {
    fold(false);
    total.focus();
  });

  finder.querySelector(".finder-static").hidden = true;
  form.hidden = false;
  toggle.hidden = false;
  finder.classList.add("has-filters");
  const state = readUrl();
  show(state);
  writeUrl(state);
})();
