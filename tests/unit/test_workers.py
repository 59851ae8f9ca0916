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
