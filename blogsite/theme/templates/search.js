// The search page's answers from the Pagefind index of the posts (docs/search.md). Without
// this script the page's form asks a web search instead; with it, the form searches here.
const form = document.querySelector(".search-form");
const input = document.getElementById("search-words");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
let pagefind = null;
let latest = 0;

async function index() {
  if (pagefind === null) {
    pagefind = await import(form.dataset.index);
    await pagefind.options({ baseUrl: form.dataset.base });
  }
  return pagefind;
}

// Pagefind marks the words found with <mark> in an excerpt of plain text: show those
// marks, and everything else as text.
function excerpt(html) {
  const p = document.createElement("p");
  html.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    const found = part.match(/^<mark>(.*)<\/mark>$/);
    const text = new DOMParser().parseFromString(found ? found[1] : part, "text/html");
    const node = document.createTextNode(text.documentElement.textContent);
    if (found) {
      const mark = document.createElement("mark");
      mark.append(node);
      p.append(mark);
    } else {
      p.append(node);
    }
  });
  return p;
}

async function search(words) {
  const asked = ++latest;
  if (!words.trim()) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  let found;
  try {
    found = await (await index()).search(words);
  } catch (error) {
    status.textContent = "The search index could not be loaded. (While serving, it is the last build’s: run blogsite build.)";
    return;
  }
  const results = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  if (asked !== latest) return; // a newer search has begun
  const items = results.map((result) => {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.meta.title || result.url;
    heading.append(link);
    item.append(heading);
    if (result.meta.date) {
      const date = document.createElement("p");
      date.className = "search-date";
      date.textContent = result.meta.date + (result.meta.labels ? ` · ${result.meta.labels}` : "");
      item.append(date);
    }
    item.append(excerpt(result.excerpt));
    return item;
  });
  list.replaceChildren(...items);
  const count = found.results.length;
  status.textContent = count === 0 ? `No posts found for “${words}”.`
    : `${count} post${count === 1 ? "" : "s"} found for “${words}”` +
      (count > items.length ? `, the first ${items.length} shown.` : ".");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  search(input.value);
});
let typing = null;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => search(input.value), 250);
});
status.textContent = "";
const asked = new URL(location.href).searchParams.get("q");
if (asked) {
  input.value = asked;
  search(asked);
}
