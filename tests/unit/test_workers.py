"""How the process pool's work is cut into slices."""

from __future__ import annotations

import pytest

from blogsite.workers import MAX_SLICE, MIN_SLICE, _slices


@pytest.mark.parametrize("n", [0, 1, MIN_SLICE, 201, 2000, 20_000])
@pytest.mark.parametrize("workers", [2, 3, 16])
def test_slices_cover_every_item_once_in_order(n: int, workers: int) -> None:
    assert [i for span in _slices(n, workers) for i in span] == list(range(n))


def test_slices_shrink_so_workers_finish_together() -> None:
    sizes = [len(span) for span in _slices(2000, 2)]
    assert max(sizes) <= MAX_SLICE
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-1] <= MIN_SLICE  # the last slice is short: little waiting at the end


def test_items_sharing_a_key_stay_in_one_slice() -> None:
    """A period's pages share its sidebar: split between workers, both would render it."""
    keys = [None] * 300 + [(2011, m) for m in range(1, 13) for _ in range(40)]
    spans = _slices(len(keys), 2, keys)
    assert [i for span in spans for i in span] == list(range(len(keys)))
    assert spans[0] == range(300)  # the pages of no period: more than MAX_SLICE, one slice
    for span in spans[1:]:
        assert span.start == len(keys) or keys[span.start] != keys[span.start - 1]


def test_a_key_with_more_than_a_workers_share_is_cut() -> None:
    keys = ["lists"] * 1500 + ["post"] * 500
    spans = _slices(len(keys), 2, keys)
    assert [i for span in spans for i in span] == list(range(len(keys)))
    assert max(len(span) for span in spans) == 1000  # each worker can take half
