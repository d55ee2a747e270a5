// Pagefind's side of bench/search: its JS API, showing the first 10 results with title and
// excerpt, as the sitegen search page does. Copied next to the site's pagefind/ folder.
const pagefind = await import("./pagefind/pagefind.js");
const box = document.getElementById("results");

const show = async (query) => {
  const search = await pagefind.search(query);
  const top = await Promise.all(search.results.slice(0, 10).map((result) => result.data()));
  const list = document.createElement("ol");
  for (const data of top) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    const excerpt = document.createElement("p");
    excerpt.textContent = data.excerpt.replace(/<[^>]*>/g, "");
    item.append(link, excerpt);
    list.append(item);
  }
  box.replaceChildren(list);
  return search.results.length;
};

window.benchShow = async (query) => {
  const start = performance.now();
  const total = await show(query);
  return { ms: performance.now() - start, total };
};
window.benchUrls = async (query, limit) => {
  const search = await pagefind.search(query);
  const results = limit ? search.results.slice(0, limit) : search.results;
  return Promise.all(results.map(async (result) => (await result.data()).url));
};
window.benchReady = true;
