// Search as you type, over the static Pagefind index the build made. Without JavaScript
// the search page says so and links to the archives instead.
const form = document.querySelector("form[data-search]");
if (form) start(form);

// The index comes in partitions (one on a small site), each a Pagefind index of its own, as
// pagefind/partitions.json lists them: the first is loaded, the others merged into it.
async function load(bundle, base) {
  const listing = await fetch(new URL("partitions.json", bundle));
  if (!listing.ok) throw new Error(`${listing.status} for the partitions`);
  const [first, ...others] = await listing.json();
  if (!first) throw new Error("an empty index");
  const pagefind = await import(new URL(`${first}/pagefind.js`, bundle));
  await pagefind.options({ basePath: new URL(`${first}/`, bundle).pathname, baseUrl: base });
  for (const other of others) {
    await pagefind.mergeIndex(new URL(`${other}/`, bundle).pathname, { baseUrl: base });
  }
  await pagefind.init();
  return pagefind;
}

async function start(form) {
  const input = form.querySelector("input[type=search]");
  const status = document.getElementById("nr-search-status");
  const list = document.getElementById("nr-search-results");
  const selects = [...form.querySelectorAll("select[data-filter]")];
  let pagefind;
  try {
    pagefind = await load(new URL(form.dataset.bundle, location), form.dataset.base);
  } catch (error) {
    status.textContent = form.dataset.failed;
    return;
  }
  status.textContent = "";

  const counts = await pagefind.filters();
  for (const select of selects) {
    const values = Object.entries(counts[select.dataset.filter] || {});
    // Years newest first; names in alphabetical order.
    values.sort(([a], [b]) => select.dataset.filter === "year" ? b.localeCompare(a) : a.localeCompare(b));
    for (const [value, count] of values) {
      select.append(new Option(`${value} (${count})`, value));
    }
    select.closest("p").hidden = values.length === 0;
  }
  form.querySelector(".search-filters").hidden = false;

  // The address says what to search for, unless the reader typed while search loaded.
  const asked = new URLSearchParams(location.search);
  if (!input.value) input.value = asked.get("q") || "";
  for (const select of selects) {
    const value = asked.get(select.name);
    if (value && [...select.options].some((option) => option.value === value)) select.value = value;
  }

  let latest = 0;
  async function run() {
    const term = input.value.trim();
    const filters = {};
    const shown = new URLSearchParams();
    if (term) shown.set("q", term);
    for (const select of selects) {
      if (select.value) {
        filters[select.dataset.filter] = select.value;
        shown.set(select.name, select.value);
      }
    }
    const query = shown.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
    const ticket = ++latest;
    if (!term) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    // 100 ms without a keystroke before searching: a reader typing at speed searches once,
    // and sees results about 300 ms after the last key (bench/search_latency.py).
    const search = await pagefind.debouncedSearch(term, { filters }, 100);
    if (search === null || ticket !== latest) return; // a newer search replaced this one
    const found = await Promise.all(search.results.slice(0, 30).map((result) => result.data()));
    if (ticket !== latest) return;
    list.replaceChildren(...found.map(resultItem));
    const total = search.results.length;
    // The sentences come from the page, in its language: {term}, {count} and {shown} filled in.
    const said = total === 0 ? form.dataset.none : total === 1 ? form.dataset.one
      : total > found.length ? form.dataset.some : form.dataset.many;
    status.textContent = said.replace("{term}", term).replace("{count}", total)
      .replace("{shown}", found.length);
  }

  input.addEventListener("input", run);
  for (const select of selects) select.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  run();
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const kind = [...(data.filters.kind || []), ...(data.filters.category || [])].join(" · ");
  if (kind) item.append(element("p", "kicker", kind));
  const heading = element("h2", "search-result-title");
  const link = element("a", "", data.meta.title || data.url);
  link.href = data.url;
  heading.append(link);
  item.append(heading);
  if (data.meta.date) item.append(element("p", "card-meta", data.meta.date));
  if (data.meta.summary) item.append(element("p", "search-summary", data.meta.summary));
  const excerpt = element("p", "search-excerpt");
  excerpt.append(...highlighted(data.excerpt));
  item.append(excerpt);
  return item;
}

function element(name, className, text) {
  const made = document.createElement(name);
  if (className) made.className = className;
  if (text) made.textContent = text;
  return made;
}

// Pagefind marks the matched words with <mark>; keep those and nothing else of its HTML.
function highlighted(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return [...template.content.childNodes].map((node) =>
    node.nodeName === "MARK" ? element("mark", "", node.textContent) : document.createTextNode(node.textContent));
}
