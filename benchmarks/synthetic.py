"""A deterministic synthetic blog for benchmarks and large-site tests.

make_site(root, 2000) writes 2,000 posts of about 700 words (paragraphs, a blockquote, a list,
links and emphasis), 1-3 labels each, 100 a year from 2005 (so 2,000 posts span 20 years; a
bigger blog is packed into the same 20 years), plus a pyproject.toml.
The same arguments always write the same bytes.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

WORDS = tuple(
    "policy council community voluntary sector funding government local services public "
    "reform citizens society budget cuts grant volunteers charity partnership strategy "
    "housing health education transport evidence review commission report minister "
    "programme support network trust delivery outcome accountability neighbourhood "
    "investment consultation the a of and to in for on with by as that is was".split(" ")
)
LABELS = [
    "Big Society",
    "Cuts",
    "Localism",
    "Volunteering",
    "Health",
    "Housing",
    "Education",
    "Charities",
    "Public services",
    "Elections",
    "Europe",
    "Welfare",
    "Transport",
    "Budget",
    "Local government",
    "Funding",
    "Reform",
    "Commissioning",
    "Evidence",
    "Policy",
]
START = datetime(2005, 1, 1, 8, 0)
SPAN = timedelta(days=20 * 365)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        n = min(words, rng.randint(8, 20))
        sentences.append(_sentence(rng, n))
        words -= n
    para = " ".join(sentences)
    # Some emphasis and a link, as a real post has.
    parts = para.split(" ")
    i = rng.randrange(len(parts))
    parts[i] = f"*{parts[i]}*"
    j = rng.randrange(len(parts))
    parts[j] = f"[{parts[j]}](https://example.org/{rng.randrange(10_000)})"
    return " ".join(parts)


def post_text(index: int, rng: random.Random, n: int = 2000) -> tuple[str, str]:
    """(file name, text) of post number index of n."""
    when = START + SPAN * index // max(n, 2000) + timedelta(minutes=rng.randrange(600))
    title = _sentence(rng, rng.randint(3, 7)).rstrip(".")
    labels = rng.sample(LABELS, rng.randint(1, 3))
    body = [_paragraph(rng, 110), _paragraph(rng, 110)]
    body.append("> " + _paragraph(rng, 80))
    body.append("\n".join(f"- {_sentence(rng, 8)}" for _ in range(4)))
    body += [_paragraph(rng, 110) for _ in range(3)]
    name = f"{when:%Y-%m-%d}-post-{index:05d}.md"
    front = (
        f'---\ntitle: "{title}"\ndate: {when:%Y-%m-%dT%H:%M:%S}\n'
        f"labels: [{', '.join(labels)}]\n---\n\n"
    )
    return name, front + "\n\n".join(body) + "\n"


def make_site(root: Path, n: int = 2000, seed: int = 2011) -> Path:
    rng = random.Random(seed)
    posts = root / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    for index in range(n):
        name, text = post_text(index, rng, n)
        (posts / name).write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[tool.blogsite]\ntitle = "Synthetic policy blog"\n'
        'base_url = "https://bench.example.org/"\ntimezone = "Europe/London"\n'
        # The build figures leave the search index out; bench.py times it on its own line.
        "search = false\n",
        encoding="utf-8",
    )
    return root
