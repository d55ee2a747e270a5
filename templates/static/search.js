// Site search: the header search field on every page and the page /zoeken/.
//
// The index (written by sitegen/search.py) is a set of small scripts that call
// SitegenSearch.receive(name, data). They are loaded by adding <script> elements, which
// works on any web server, under a sub-path, from file:// and under a strict
// Content-Security-Policy. Nothing loads until the search field gets focus or /zoeken/
// opens. Every result is built with createElement and textContent. The words shown come
// from templates/strings.nl.yaml: the manifest carries the labels and sentences (section
// search), the search page's own markup the rest.
"use strict";

(() => {
  // --- Shared tokenizer (identical to sitegen/search.py) ----------------------------

  const STOP_WORDS = new Set(`
aan af al alle alles als alsof altijd ander andere anders ben bent bij binnen boven
daar daarom dan dat de der deze die dit doch doen door dus een eens en er ge geen
geweest haar had hadden heb hebben heeft hem het hier hij hoe hun ik in is ja je jij
jou jouw jullie kan kon konden kunnen maar me meer men met mij mijn moet moeten na naar
niet niets nog nu of om omdat ons onze ook op over te tegen toch toen tot u uit uw van
veel voor want waren was wat we wel werd werden wie wij wil worden wordt zal ze zelf
zich zij zijn zo zonder zou zouden`.trim().split(/\s+/));
  const SPECIAL_LETTERS = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i" };
  const SPECIAL_RE = /[ßæœøłđðþı]/g;
  const COMBINING_RE = /[\u0300-\u036f]/g;
  const WORD_RE = /[a-z0-9]+/g;

  const fold = (text) => text.normalize("NFKD").toLowerCase()
    .replace(SPECIAL_RE, (letter) => SPECIAL_LETTERS[letter]).replace(COMBINING_RE, "");
  const words = (text) => fold(text).match(WORD_RE) || [];
  const isIndexed = (word) => word.length > 1 && !STOP_WORDS.has(word);
  const stemCache = new Map();
  const stem = (word) => {
    let stemmed = stemCache.get(word);
    if (stemmed === undefined) {
      stemmed = sitegenDutchStem(word); // from search-stem.js
      stemCache.set(word, stemmed);
    }
    return stemmed;
  };
  const tokenize = (text) => words(text).filter(isIndexed).map(stem);

  // --- Index encoding (see sitegen/search.py) ---------------------------------------

  const FINAL_DIGITS = "0123456789abcdefghijklmnopqrstuv";
  const MORE_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*";
  const DIGIT_VALUE = new Int8Array(128).fill(-1);
  const DIGIT_FINAL = new Uint8Array(128);
  for (let i = 0; i < 32; i++) {
    DIGIT_VALUE[FINAL_DIGITS.charCodeAt(i)] = i;
    DIGIT_FINAL[FINAL_DIGITS.charCodeAt(i)] = 1;
    DIGIT_VALUE[MORE_DIGITS.charCodeAt(i)] = i;
  }
  const decodeNumbers = (text) => {
    const numbers = [];
    let value = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      value = value * 32 + DIGIT_VALUE[code];
      if (DIGIT_FINAL[code]) {
        numbers.push(value);
        value = 0;
      }
    }
    return numbers;
  };
  const decodeIds = (text) => {
    const ids = decodeNumbers(text);
    let previous = -1;
    for (let i = 0; i < ids.length; i++) {
      previous += ids[i] + 1;
      ids[i] = previous;
    }
    return ids;
  };
  const decodeWords = (text) => {
    const list = [];
    let previous = "";
    let i = 0;
    while (i < text.length) {
      const shared = text.charCodeAt(i) - 65;
      let end = i + 1;
      while (end < text.length && (text.charCodeAt(end) < 65 || text.charCodeAt(end) > 90)) end++;
      previous = previous.substring(0, shared) + text.substring(i + 1, end);
      list.push(previous);
      i = end;
    }
    return list;
  };
  const lowerBound = (sorted, value) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle] < value) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  // --- Loading index files with <script> elements ------------------------------------

  const waiting = new Map();
  const expect = (name) => {
    let entry = waiting.get(name);
    if (!entry) {
      entry = {};
      entry.promise = new Promise((resolve, reject) => {
        entry.resolve = resolve;
        entry.reject = reject;
      });
      waiting.set(name, entry);
    }
    return entry;
  };
  const receive = (name, data) => expect(name).resolve(data);
  const loadScript = (name, url) => {
    const entry = expect(name);
    if (!entry.started) {
      entry.started = true;
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onerror = () => entry.reject(new Error(`could not load ${url}`));
      document.head.appendChild(script);
    }
    return entry.promise;
  };

  window.SitegenSearch = { receive, fold, words, tokenize, isIndexed, stopWords: STOP_WORDS };

  // --- The index ---------------------------------------------------------------------

  const PREFIX_LIMIT = 80;
  const FUZZY_MIN_LENGTH = 5;
  const MATCH_EXACT = 1;
  const MATCH_INFLECTION = 0.9;
  const MATCH_PREFIX = 0.7;
  const MATCH_FUZZY = 0.45;

  // Damerau-Levenshtein distance, or max + 1 as soon as it must exceed max.
  const editDistance = (a, b, max) => {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      let rowMin = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, before[j - 2] + 1);
        }
        current.push(value);
        if (value < rowMin) rowMin = value;
      }
      if (rowMin > max) return max + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  };

  // Surface forms a Dutch word may take that the stemmer does not join: kans/kansen,
  // sociaal/sociale.
  const inflections = (word) => {
    const forms = [word + "en", word + "s", word + "e", word + "n"];
    for (const ending of ["en", "e", "s", "n"]) {
      if (word.endsWith(ending) && word.length - ending.length >= 3) forms.push(word.slice(0, -ending.length));
    }
    let match = /^(.*[^aeiou])([aeou])([^aeiou])(en|e)$/.exec(word);
    if (match) forms.push(match[1] + match[2] + match[2] + match[3]);
    match = /^(.*[^aeiou])([aeou])\2([^aeiou])$/.exec(word);
    if (match) forms.push(match[1] + match[2] + match[3] + "e", match[1] + match[2] + match[3] + "en");
    return forms;
  };

  // The sentences to show, from templates/strings.nl.yaml (search.js) by way of the manifest.
  // Placeholders: {count}, {results} (the text of a number of results), {query}.
  const fill = (template, values) => template.replace(/\{(\w+)\}/g,
    (placeholder, name) => (Object.hasOwn(values, name) ? String(values[name]) : placeholder));
  const makeText = (strings) => {
    const results = (n) => (n === 1 ? strings.results_one : fill(strings.results, { count: n }));
    return {
      results,
      resultsFor: (n, query) => fill(strings.results_for, { results: results(n), query }),
      noResults: (query) => (query ? fill(strings.no_results_for, { query }) : strings.no_results),
      partial: strings.partial,
      didYouMean: strings.did_you_mean,
      withoutFilters: (n) => fill(strings.without_filters, { results: results(n) }),
      oneWord: strings.one_word,
      browse: strings.browse,
      more: strings.more,
      all: (n) => fill(strings.all, { results: results(n) }),
      arrowHint: strings.arrow_hint,
      clearFilters: strings.clear_filters,
      showAll: (n) => fill(strings.show_all, { count: n }),
      showFewer: strings.show_fewer,
      corrected: (original, query) => fill(strings.corrected, { original, query }),
      dropFilters: strings.drop_filters,
      dropFilter: (filter, n) => fill(strings.drop_filter, { filter, results: results(n) }),
      filtersCount: (n) => fill(strings.filters_count, { count: n }),
    };
  };

  class SearchIndex {
    constructor(manifest, indexUrl) {
      this.indexUrl = indexUrl;
      this.text = makeText(manifest.text);
      this.count = manifest.count;
      this.kinds = manifest.kinds;
      this.words = decodeWords(manifest.words);
      this.bounds = manifest.bounds;
      this.termFiles = manifest.terms;
      this.docFiles = manifest.docs;
      this.docShardSize = manifest.docShardSize;
      this.facets = manifest.facets.map(([name, label, values]) => ({
        name,
        label,
        values: values.map(([slug, valueLabel, ids]) => ({ slug, label: valueLabel, ids: decodeIds(ids) })),
      }));
      // For each facet, each document's value positions.
      this.docValues = this.facets.map((facet) => {
        const perDoc = Array.from({ length: this.count }, () => []);
        facet.values.forEach((value, position) => {
          for (const id of value.ids) perDoc[id].push(position);
        });
        return perDoc;
      });
      this.termShards = new Map();
      this.postings = new Map();
      this.docShards = new Map();
      this.expansions = new Map();
    }

    fileUrl(name) {
      return new URL(`index/${name}.js`, this.indexUrl).href;
    }

    hasWord(word) {
      const at = lowerBound(this.words, word);
      return at < this.words.length && this.words[at] === word;
    }

    shardOf(stemmed) {
      const at = lowerBound(this.bounds, stemmed);
      if (at < this.bounds.length && this.bounds[at] === stemmed) return at;
      return at - 1;
    }

    // Stems (with a match strength) that a query word stands for.
    expand(word, prefix, optional) {
      const key = `${word} ${prefix} ${optional}`;
      const cached = this.expansions.get(key);
      if (cached) return cached;
      const found = new Map();
      const add = (stemmed, strength) => {
        if ((found.get(stemmed) || 0) < strength) found.set(stemmed, strength);
      };
      let known = false;
      if (!optional) {
        add(stem(word), MATCH_EXACT);
        known = this.hasWord(word);
        for (const form of inflections(word)) {
          if (this.hasWord(form)) {
            add(stem(form), MATCH_INFLECTION);
            known = true;
          }
        }
      }
      if (prefix) {
        const start = lowerBound(this.words, word);
        let end = start;
        while (end < this.words.length && this.words[end].startsWith(word)) end++;
        // Short prefixes stand for many words; the shortest are the likeliest completions.
        const limit = word.length <= 2 ? PREFIX_LIMIT / 4 : word.length === 3 ? PREFIX_LIMIT / 2 : PREFIX_LIMIT;
        let candidates = this.words.slice(start, end).filter((candidate) => candidate !== word);
        if (candidates.length > limit) {
          candidates = candidates.sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).slice(0, limit);
        }
        for (const candidate of candidates) {
          if (isIndexed(candidate)) add(stem(candidate), MATCH_PREFIX);
        }
        known = known || end > start;
      }
      // The surface words typo tolerance took, with their distance: what "Bedoelde je" offers.
      found.fuzzyWords = [];
      if (!known && word.length >= FUZZY_MIN_LENGTH) {
        const max = word.length >= 9 ? 2 : 1;
        for (const candidate of this.words) {
          const target = prefix && candidate.length > word.length ? candidate.slice(0, word.length) : candidate;
          const distance = editDistance(word, target, max);
          if (distance <= max) {
            add(stem(candidate), MATCH_FUZZY);
            // A completion of the typed start is offered after a word that is itself that close.
            const whole = target === candidate ? distance : editDistance(word, candidate, max);
            if (isIndexed(candidate)) found.fuzzyWords.push([whole, candidate]);
          }
        }
      }
      this.expansions.set(key, found);
      return found;
    }

    async loadStems(stems) {
      const needed = new Set();
      for (const stemmed of stems) {
        const shard = this.shardOf(stemmed);
        if (shard >= 0 && !this.termShards.has(shard)) needed.add(shard);
      }
      await Promise.all([...needed].map(async (shard) => {
        const [packedStems, packedPostings] = await loadScript(this.termFiles[shard], this.fileUrl(this.termFiles[shard]));
        const table = new Map();
        decodeWords(packedStems).forEach((stemmed, i) => table.set(stemmed, packedPostings[i]));
        this.termShards.set(shard, table);
      }));
    }

    postingsOf(stemmed) {
      let entry = this.postings.get(stemmed);
      if (entry !== undefined) return entry;
      const shard = this.termShards.get(this.shardOf(stemmed));
      const packed = shard && shard.get(stemmed);
      entry = null;
      if (packed) {
        const numbers = decodeNumbers(packed);
        const ids = new Int32Array(numbers.length / 2);
        const values = new Uint8Array(numbers.length / 2);
        let previous = -1;
        for (let i = 0; i < ids.length; i++) {
          previous += numbers[2 * i] + 1;
          ids[i] = previous;
          values[i] = numbers[2 * i + 1];
        }
        entry = { ids, values };
      }
      this.postings.set(stemmed, entry);
      return entry;
    }

    async loadDocs(ids) {
      const shards = new Set(ids.map((id) => Math.floor(id / this.docShardSize)));
      await Promise.all([...shards].filter((shard) => !this.docShards.has(shard)).map(async (shard) => {
        const rows = await loadScript(this.docFiles[shard], this.fileUrl(this.docFiles[shard]));
        this.docShards.set(shard, rows);
      }));
    }

    doc(id) {
      const row = this.docShards.get(Math.floor(id / this.docShardSize))[id % this.docShardSize];
      const kind = this.kinds[row[1]];
      return { id, url: row[0], kind: kind[0], kindLabel: kind[1], title: row[2], summary: row[3] };
    }
  }

  // --- Queries -----------------------------------------------------------------------

  // One group per query word. The last word counts as a prefix while it is being typed;
  // a stop word only counts when it may be the start of a longer word.
  const parseQuery = (text) => {
    const list = words(text);
    const typing = /[\p{L}\p{N}]$/u.test(text);
    const groups = [];
    const seen = new Set();
    list.forEach((word, i) => {
      const prefix = typing && i === list.length - 1;
      if (word.length < 2 || seen.has(word)) return;
      const optional = !isIndexed(word);
      if (optional && !prefix) return;
      seen.add(word);
      groups.push({ word, prefix, optional });
    });
    if (groups.length && groups.every((group) => group.optional)) {
      for (const group of groups) group.optional = false;
    }
    return groups;
  };

  const idf = (count, frequency) => Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));

  // Ranked document ids for `text`, plus the stems that matched (for highlighting).
  const search = async (index, text) => {
    const groups = parseQuery(text);
    if (!groups.length) return { ids: null, matchedStems: new Set(), partial: false, groups };
    for (const group of groups) {
      group.expansion = index.expand(group.word, group.prefix, group.optional);
    }
    await index.loadStems(groups.flatMap((group) => [...group.expansion.keys()]));

    const count = index.count;
    const score = new Float64Array(count);
    const matched = new Uint8Array(count);
    const titleHits = new Uint8Array(count);
    const best = new Float64Array(count);
    const bestInTitle = new Uint8Array(count);
    const matchedStems = new Set();
    const required = groups.filter((group) => !group.optional).length;
    for (const group of groups) {
      const touched = [];
      group.hits = 0;
      group.strongest = 0;
      for (const [stemmed, strength] of group.expansion) {
        const postings = index.postingsOf(stemmed);
        if (!postings) continue;
        matchedStems.add(stemmed);
        if (strength > group.strongest) group.strongest = strength;
        const weight = idf(count, postings.ids.length) * strength;
        const { ids, values } = postings;
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i];
          const value = (values[i] >> 1) * weight;
          if (best[id] === 0) touched.push(id);
          if (value > best[id]) best[id] = value;
          if (values[i] & 1 && strength >= MATCH_PREFIX) bestInTitle[id] = 1;
        }
      }
      group.hits = touched.length;
      // Found only by typo tolerance: the results are for another word, which the page says.
      group.fuzzyOnly = group.hits > 0 && group.strongest === MATCH_FUZZY;
      for (const id of touched) {
        score[id] += best[id];
        if (!group.optional) matched[id] += 1;
        titleHits[id] += bestInTitle[id];
        best[id] = 0;
        bestInTitle[id] = 0;
      }
    }
    let ids = [];
    for (let id = 0; id < count; id++) if (matched[id] === required) ids.push(id);
    let partial = false;
    if (!ids.length && required > 1) {
      partial = true;
      for (let id = 0; id < count; id++) if (matched[id] > 0) ids.push(id);
    }
    ids.sort((a, b) => matched[b] - matched[a] || titleHits[b] - titleHits[a] || score[b] - score[a] || a - b);
    return { ids, matchedStems, partial, groups };
  };

  // Apply facet filters (or within a facet, and across facets) and count each facet
  // value among the documents that pass every other facet's filter.
  const filterAndCount = (index, ids, selected) => {
    const facets = index.facets;
    const wanted = facets.map((facet) => {
      const slugs = selected.get(facet.name);
      if (!slugs || !slugs.size) return null;
      const positions = new Set();
      facet.values.forEach((value, position) => {
        if (slugs.has(value.slug)) positions.add(position);
      });
      return positions;
    });
    const counts = facets.map((facet) => new Uint32Array(facet.values.length));
    const kept = [];
    for (const id of ids) {
      let failures = 0;
      let failed = -1;
      for (let f = 0; f < facets.length && failures < 2; f++) {
        if (wanted[f] && !index.docValues[f][id].some((position) => wanted[f].has(position))) {
          failures++;
          failed = f;
        }
      }
      if (failures === 0) {
        kept.push(id);
        for (let f = 0; f < facets.length; f++) for (const position of index.docValues[f][id]) counts[f][position]++;
      } else if (failures === 1) {
        for (const position of index.docValues[failed][id]) counts[failed][position]++;
      }
    }
    return { ids: kept, counts };
  };

  // How often a word's stem occurs (documents), once its postings shard is loaded.
  const frequency = (index, word) => {
    const postings = index.postingsOf(stem(word));
    return postings ? postings.ids.length : 0;
  };
  // The best of [distance, word] candidates: closest first, then the most frequent, then the
  // one nearest in length, then the first in the alphabet.
  const bestCandidate = (index, word, candidates) => {
    const ranked = candidates.map(([distance, candidate]) => [distance, -frequency(index, candidate),
      Math.abs(candidate.length - word.length), candidate]).filter((entry) => entry[1] < 0);
    ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : 1));
    return ranked.length ? ranked[0][3] : null;
  };

  // Closest known words to one that matched nothing (up to two edits; one for short words).
  const SUGGEST_CANDIDATES = 12;
  const suggestWord = async (index, word) => {
    const max = word.length <= 4 ? 1 : 2;
    const scored = [];
    for (const candidate of index.words) {
      if (candidate === word || !isIndexed(candidate)) continue;
      const distance = editDistance(word, candidate, max);
      if (distance <= max) scored.push([distance, candidate]);
    }
    scored.sort((a, b) => a[0] - b[0] || Math.abs(a[1].length - word.length) - Math.abs(b[1].length - word.length));
    const candidates = scored.slice(0, SUGGEST_CANDIDATES);
    await index.loadStems(candidates.map(([, candidate]) => stem(candidate)));
    return bestCandidate(index, word, candidates);
  };

  // For "Bedoelde je ...": the word to put in place of each query word that matched nothing
  // or only through typo tolerance, and the query with those words replaced (stop words kept).
  // A word still being typed that matches nothing gets none while other words find results.
  const corrections = async (index, text, groups, found) => {
    const fixes = new Map();
    const fuzzy = new Map();
    for (const group of groups) {
      if (group.optional) continue;
      if (group.fuzzyOnly) {
        const word = bestCandidate(index, group.word, group.expansion.fuzzyWords);
        if (word) {
          fixes.set(group.word, word);
          fuzzy.set(group.word, word);
        }
      } else if (group.hits === 0 && !(group.prefix && found)) {
        const word = await suggestWord(index, group.word);
        if (word) fixes.set(group.word, word);
      }
    }
    const replaced = (map) => words(text).map((word) => map.get(word) || word).join(" ");
    return { fixes, query: replaced(fixes), fuzzy, fuzzyQuery: replaced(fuzzy) };
  };

  // --- Building the page -------------------------------------------------------------

  const PAGE_SIZE = 10;
  const DROPDOWN_SIZE = 5;
  const FACET_VISIBLE = 8;

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // Text with the words whose stems matched wrapped in <mark>.
  const highlighted = (text, matchedStems) => {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const hit = words(match[0]).some((word) => isIndexed(word) && matchedStems.has(stem(word)));
      if (!hit) continue;
      if (match.index > last) fragment.append(text.slice(last, match.index));
      fragment.append(element("mark", null, match[0]));
      last = match.index + match[0].length;
    }
    if (last < text.length) fragment.append(text.slice(last));
    return fragment;
  };

  const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "file:"]);
  const resultHref = (index, url) => {
    const target = new URL(url, new URL("../", index.indexUrl));
    if (!ALLOWED_PROTOCOLS.has(target.protocol)) return "#";
    if (target.protocol === "file:" && target.pathname.endsWith("/")) target.pathname += "index.html";
    return target.href;
  };

  const badge = (doc) => element("span", `search-badge search-badge--${doc.kind}`, doc.kindLabel);

  const indexUrlFromPage = () => {
    const attribute = document.body && document.body.getAttribute("data-search-index");
    return attribute ? new URL(attribute, document.baseURI).href : null;
  };
  const stemScriptUrl = (() => {
    const current = document.currentScript;
    return current && current.src ? new URL("search-stem.js", current.src).href : null;
  })();

  let indexPromise = null;
  const openIndex = () => {
    if (!indexPromise) {
      const indexUrl = indexUrlFromPage();
      if (!indexUrl || !stemScriptUrl) return Promise.reject(new Error("this page names no search index"));
      const stemLoaded = typeof sitegenDutchStem === "function" ? Promise.resolve()
        : new Promise((resolve, reject) => {
          const script = document.createElement("script");
          script.src = stemScriptUrl;
          script.onload = resolve;
          script.onerror = () => reject(new Error(`could not load ${stemScriptUrl}`));
          document.head.appendChild(script);
        });
      indexPromise = Promise.all([loadScript("index", indexUrl), stemLoaded])
        .then(([manifest]) => new SearchIndex(manifest, indexUrl));
      indexPromise.catch(() => {
        indexPromise = null;
      });
    }
    return indexPromise;
  };

  // Programmatic search for other scripts (a 404 page, a benchmark): the ranking and
  // filters of the search page. `filters` maps facet names to a slug or list of slugs.
  const publicSearch = async (text, filters = {}) => {
    const index = await openIndex();
    const result = await search(index, text);
    const selected = new Map(Object.entries(filters).map(([name, slugs]) => [name, new Set([].concat(slugs))]));
    const { ids } = filterAndCount(index, result.ids || [...Array(index.count).keys()], selected);
    return {
      total: ids.length,
      partial: result.partial,
      results: ids.map((id) => ({
        id,
        data: async () => {
          await index.loadDocs([id]);
          const doc = index.doc(id);
          return { ...doc, href: resultHref(index, doc.url) };
        },
      })),
    };
  };
  window.SitegenSearch.search = publicSearch;

  // --- /zoeken/ ------------------------------------------------------------------------

  const setupSearchPage = (root) => {
    const form = root.querySelector("[data-search-form]");
    const input = form.querySelector("input[name=q]");
    const filters = root.querySelector("[data-search-filters]");
    const facetsBox = root.querySelector("[data-search-facets]");
    const status = root.querySelector("#search-status");
    const resultsBox = root.querySelector("#search-results");
    const browse = root.querySelector("[data-search-browse]");
    const failedNote = root.querySelector("[data-search-failed]");
    const toggle = root.querySelector("[data-search-filters-toggle]");
    const toggleLabel = toggle.textContent.trim();
    const skip = root.querySelector("[data-search-skip]");
    const resultsTitle = root.querySelector("#search-results-title");
    for (const node of root.querySelectorAll("[data-search-nojs]")) node.hidden = true;
    form.hidden = false;
    // On small screens the filters fold behind one button, so the results come first.
    filters.toggleAttribute("data-folded", true);
    toggle.addEventListener("click", () => {
      const folded = filters.toggleAttribute("data-folded");
      toggle.setAttribute("aria-expanded", String(!folded));
    });
    skip.addEventListener("click", (event) => {
      event.preventDefault();
      resultsTitle.focus();
    });

    let index = null;
    let generation = 0;
    let shown = 0;
    let lastRun = null;
    const openFacets = new Set();

    const readState = () => {
      const params = new URLSearchParams(window.location.search);
      const selected = new Map();
      for (const [name, value] of params) {
        if (name === "q") continue;
        if (!selected.has(name)) selected.set(name, new Set());
        selected.get(name).add(value);
      }
      return { query: params.get("q") || "", selected };
    };
    let state = readState();
    input.value = state.query;

    const stateUrl = () => {
      const params = new URLSearchParams();
      if (state.query) params.set("q", state.query);
      const names = index ? index.facets.map((facet) => facet.name) : [...state.selected.keys()];
      for (const name of names) for (const slug of state.selected.get(name) || []) params.append(name, slug);
      const search = params.toString();
      return window.location.pathname + (search ? `?${search}` : "") + window.location.hash;
    };
    const remember = (push) => {
      const url = stateUrl();
      if (url === window.location.pathname + window.location.search + window.location.hash) return;
      try {
        if (push) window.history.pushState(null, "", url);
        else window.history.replaceState(null, "", url);
      } catch (error) {
        // Some browsers refuse history changes for file:// pages; search still works.
      }
    };

    const announce = (() => {
      let timer = 0;
      return (message) => {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => {
          status.textContent = message;
        }, 250);
      };
    })();

    const renderResult = (doc, matchedStems) => {
      const item = element("li", "search-result");
      const heading = element("h3", "search-result__title");
      const link = element("a");
      link.href = resultHref(index, doc.url);
      link.append(highlighted(doc.title, matchedStems));
      heading.append(link);
      const meta = element("p", "search-result__kind");
      meta.append(badge(doc));
      item.append(meta, heading);
      if (doc.summary) {
        const summary = element("p", "search-result__summary");
        summary.append(highlighted(doc.summary, matchedStems));
        item.append(summary);
      }
      return item;
    };

    const renderFacets = (counts) => {
      facetsBox.replaceChildren();
      const anySelected = [...state.selected.values()].some((slugs) => slugs.size);
      index.facets.forEach((facet, f) => {
        const selected = state.selected.get(facet.name) || new Set();
        const values = facet.values
          .map((value, position) => ({ ...value, count: counts[f][position] }))
          .filter((value) => value.count > 0 || selected.has(value.slug));
        if (!values.length || (values.length === 1 && !selected.size && facet.values.length === 1)) return;
        const fieldset = element("fieldset", "search-facet");
        fieldset.append(element("legend", null, facet.label));
        const list = element("ul", "search-facet__values");
        values.forEach((value, position) => {
          const item = element("li");
          const id = `facet-${facet.name}-${value.slug}`;
          const box = element("input");
          box.type = "checkbox";
          box.id = id;
          box.name = facet.name;
          box.value = value.slug;
          box.checked = selected.has(value.slug);
          const label = element("label", null, `${value.label} `);
          label.htmlFor = id;
          label.append(element("span", "search-facet__count", `(${value.count})`));
          item.append(box, label);
          if (position >= FACET_VISIBLE && !openFacets.has(facet.name) && !box.checked) item.hidden = true;
          list.append(item);
        });
        fieldset.append(list);
        if (values.length > FACET_VISIBLE) {
          const toggle = element("button", "search-facet__more",
            openFacets.has(facet.name) ? index.text.showFewer : index.text.showAll(values.length));
          toggle.type = "button";
          toggle.setAttribute("aria-expanded", String(openFacets.has(facet.name)));
          toggle.addEventListener("click", () => {
            if (openFacets.has(facet.name)) openFacets.delete(facet.name);
            else openFacets.add(facet.name);
            renderFacets(counts);
            facetsBox.querySelector(`fieldset:nth-of-type(${f + 1}) .search-facet__more`)?.focus();
          });
          fieldset.append(toggle);
        }
        facetsBox.append(fieldset);
      });
      if (anySelected) {
        const clear = element("button", "search-facet__clear", index.text.clearFilters);
        clear.type = "button";
        clear.addEventListener("click", () => {
          state.selected = new Map();
          remember(true);
          run();
          input.focus();
        });
        facetsBox.append(clear);
      }
      filters.hidden = !facetsBox.childElementCount;
      toggle.hidden = filters.hidden;
      const chosen = [...state.selected.values()].reduce((sum, slugs) => sum + slugs.size, 0);
      toggle.textContent = chosen ? index.text.filtersCount(chosen) : toggleLabel;
    };

    const suggestionLink = (text, query, selected) => {
      const params = new URLSearchParams();
      if (query) params.set("q", query);
      for (const [name, slugs] of selected) for (const slug of slugs) params.append(name, slug);
      const link = element("a", null, text);
      link.href = `?${params}`;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        state = { query, selected };
        input.value = query;
        remember(true);
        run();
      });
      return link;
    };

    const didYouMean = (correction) => {
      const line = element("p", "search-did-you-mean", `${index.text.didYouMean} `);
      line.append(suggestionLink(correction.query, correction.query, state.selected));
      return line;
    };

    // For each chosen filter value, the search without just that one, with its count.
    const dropOneFilter = (candidates) => {
      const chosen = [];
      index.facets.forEach((facet) => {
        for (const slug of state.selected.get(facet.name) || []) {
          const value = facet.values.find((entry) => entry.slug === slug);
          chosen.push({ facet, slug, label: value ? value.label : slug });
        }
      });
      const labels = chosen.map((entry) => entry.label);
      const options = [];
      for (const { facet, slug, label } of chosen) {
        const selected = new Map([...state.selected].map(([name, slugs]) => [name, new Set(slugs)]));
        selected.get(facet.name).delete(slug);
        const total = filterAndCount(index, candidates, selected).ids.length;
        if (!total) continue;
        // The same label in two filters (Breda where based and where delivered) names its filter.
        const named = labels.filter((other) => other === label).length > 1 ? `${label} (${facet.label})` : label;
        options.push(suggestionLink(index.text.dropFilter(named, total), state.query, selected));
      }
      return options;
    };

    const renderNoResults = (result, candidates, correction) => {
      const box = element("div", "search-empty");
      box.append(element("p", "search-empty__title", index.text.noResults(state.query.trim())));
      const hasFilters = [...state.selected.values()].some((slugs) => slugs.size);
      if (hasFilters && candidates.length > 0) {
        const options = dropOneFilter(candidates);
        const withoutAll = suggestionLink(index.text.withoutFilters(candidates.length), state.query, new Map());
        if (options.length) {
          box.append(element("p", "search-drop__intro", index.text.dropFilters));
          const list = element("ul", "search-drop");
          for (const link of [...options, withoutAll]) {
            const item = element("li");
            item.append(link);
            list.append(item);
          }
          box.append(list);
        } else {
          const line = element("p");
          line.append(withoutAll);
          box.append(line);
        }
      }
      if (correction && correction.fixes.size) box.append(didYouMean(correction));
      if (result.groups.length) {
        const single = result.groups.filter((group) => group.hits > 0 && !group.optional);
        if (result.groups.length > 1 && single.length) {
          const line = element("p", null, `${index.text.oneWord} `);
          single.forEach((group, i) => {
            if (i) line.append(", ");
            line.append(suggestionLink(group.word, group.word, state.selected));
          });
          box.append(line);
        }
      }
      if (browse) box.append(element("p", null, index.text.browse));
      return box;
    };

    const showMore = async (list, ids, matchedStems, button) => {
      const next = ids.slice(shown, shown + PAGE_SIZE);
      await index.loadDocs(next);
      const first = list.childElementCount;
      for (const id of next) list.append(renderResult(index.doc(id), matchedStems));
      shown += next.length;
      if (shown >= ids.length) button.remove();
      list.children[first]?.querySelector("a")?.focus();
    };

    const run = async () => {
      const ticket = ++generation;
      const query = state.query.trim();
      const filtering = [...state.selected.values()].some((slugs) => slugs.size);
      // While results show, a phone leaves out the introduction and the example hint.
      root.toggleAttribute("data-searching", Boolean(query || filtering));
      if (!index) {
        resultsBox.setAttribute("aria-busy", "true");
        try {
          index = await openIndex();
        } catch (error) {
          resultsBox.replaceChildren();
          failedNote.hidden = false;
          resultsBox.setAttribute("aria-busy", "false");
          return;
        }
        failedNote.hidden = true;
        if (ticket !== generation) return;
      }
      if (!query && !filtering) {
        resultsBox.replaceChildren();
        status.textContent = "";
        renderFacets(filterAndCount(index, [...Array(index.count).keys()], state.selected).counts);
        if (browse) browse.hidden = false;
        resultsBox.setAttribute("aria-busy", "false");
        return;
      }
      resultsBox.setAttribute("aria-busy", "true");
      const result = query ? await search(index, state.query)
        : { ids: null, matchedStems: new Set(), partial: false, groups: [] };
      if (ticket !== generation) return;
      const candidates = result.ids || [...Array(index.count).keys()];
      const { ids, counts } = filterAndCount(index, candidates, state.selected);
      shown = Math.min(PAGE_SIZE, ids.length);
      const [correction] = await Promise.all([
        query ? corrections(index, state.query, result.groups, ids.length > 0) : null, index.loadDocs(ids.slice(0, shown))]);
      if (ticket !== generation) return;
      lastRun = { ids, matchedStems: result.matchedStems };
      // Results that came through typo tolerance are said to be for the corrected words.
      const shownFor = correction && correction.fuzzy.size && ids.length ? correction.fuzzyQuery : query;

      const children = [];
      if (ids.length && correction && correction.fixes.size) {
        if (correction.fuzzy.size) {
          const typed = [...correction.fuzzy.keys()].join(" ");
          children.push(element("p", "search-corrected", index.text.corrected(typed, correction.fuzzyQuery)));
        }
        children.push(didYouMean(correction));
      }
      if (result.partial && ids.length) children.push(element("p", "search-partial", index.text.partial));
      if (ids.length) {
        const list = element("ol", "search-results");
        for (const id of ids.slice(0, shown)) list.append(renderResult(index.doc(id), result.matchedStems));
        children.push(list);
        if (ids.length > shown) {
          const more = element("button", "search-more", index.text.more);
          more.type = "button";
          more.addEventListener("click", () => showMore(list, lastRun.ids, lastRun.matchedStems, more));
          children.push(more);
        }
      } else {
        children.push(renderNoResults(result, candidates, correction));
      }
      resultsBox.replaceChildren(...children);
      renderFacets(counts);
      if (browse) browse.hidden = ids.length > 0;
      announce(ids.length ? (query ? index.text.resultsFor(ids.length, shownFor) : index.text.results(ids.length))
        : index.text.noResults(query));
      resultsBox.setAttribute("aria-busy", "false");
    };

    input.addEventListener("input", () => {
      state = { query: input.value, selected: state.selected };
      remember(false);
      run();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      state = { query: input.value, selected: state.selected };
      remember(true);
      run();
    });
    facetsBox.addEventListener("change", (event) => {
      const box = event.target;
      if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
      const selected = new Map([...state.selected].map(([name, slugs]) => [name, new Set(slugs)]));
      if (!selected.has(box.name)) selected.set(box.name, new Set());
      if (box.checked) selected.get(box.name).add(box.value);
      else selected.get(box.name).delete(box.value);
      state = { query: state.query, selected };
      remember(true);
      // Focus stays on the checkbox; should its value be gone from the list, on the results.
      run().then(() => (document.getElementById(box.id) || resultsTitle).focus());
    });
    window.addEventListener("popstate", () => {
      state = readState();
      input.value = state.query;
      run();
    });
    run();
  };

  // --- Header search field: a small list of results under the field --------------------

  const setupHeaderField = (input) => {
    const form = input.form;
    if (!form) return;
    const panel = element("div", "search-dropdown");
    panel.id = `${input.id || "site-search"}-results`;
    panel.hidden = true;
    const status = element("p", "visually-hidden");
    status.setAttribute("role", "status");
    form.append(panel, status);
    input.setAttribute("aria-controls", panel.id);
    input.setAttribute("autocomplete", "off");

    let generation = 0;
    let index = null;
    const close = () => {
      panel.hidden = true;
    };
    const links = () => [...panel.querySelectorAll("a")];

    const update = async () => {
      const ticket = ++generation;
      const query = input.value;
      if (!query.trim()) {
        panel.replaceChildren();
        close();
        status.textContent = "";
        return;
      }
      try {
        index = await openIndex();
      } catch (error) {
        return; // the form still submits to /zoeken/
      }
      const result = await search(index, query);
      if (ticket !== generation) return;
      const ids = result.ids || [];
      const top = ids.slice(0, DROPDOWN_SIZE);
      await index.loadDocs(top);
      if (ticket !== generation) return;
      const children = [];
      if (top.length) {
        const list = element("ul", "search-dropdown__list");
        for (const id of top) {
          const doc = index.doc(id);
          const item = element("li");
          const link = element("a", "search-dropdown__link");
          link.href = resultHref(index, doc.url);
          const title = element("span", "search-dropdown__title");
          title.append(highlighted(doc.title, result.matchedStems));
          link.append(badge(doc), " ", title);
          item.append(link);
          list.append(item);
        }
        children.push(list);
        const all = element("a", "search-dropdown__all", index.text.all(ids.length));
        const target = new URL(form.action, document.baseURI);
        target.search = new URLSearchParams({ q: query.trim() }).toString();
        all.href = target.href;
        children.push(all);
      } else {
        children.push(element("p", "search-dropdown__empty", index.text.noResults(query.trim())));
      }
      panel.replaceChildren(...children);
      panel.hidden = false;
      status.textContent = top.length ? `${index.text.results(ids.length)}. ${index.text.arrowHint}`
        : index.text.noResults(query.trim());
    };

    input.addEventListener("focus", () => {
      openIndex().catch(() => {});
    });
    input.addEventListener("input", update);
    form.addEventListener("keydown", (event) => {
      const all = links();
      const at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && all.length) {
        event.preventDefault();
        panel.hidden = false;
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) input.focus();
        else all[at - 1].focus();
      } else if (event.key === "Escape" && !panel.hidden) {
        event.preventDefault();
        close();
        input.focus();
      }
    });
    form.addEventListener("focusout", (event) => {
      if (!form.contains(event.relatedTarget)) close();
    });
  };

  const start = () => {
    const page = document.querySelector("[data-search-ui]");
    if (page) setupSearchPage(page);
    for (const input of document.querySelectorAll("form[role=search] input[type=search]")) {
      if (page && page.contains(input)) continue;
      if (!page) setupHeaderField(input);
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
