"""``load`` and ``compute`` given a dask DataFrame refuse, pointing to ``casetime.dask`` (issue 13)."""

from __future__ import annotations

import pytest

import casetime
from casetime.errors import CasetimeTypeError

dd = pytest.importorskip("dask.dataframe", reason="needs dask, which is not installed here")
pd = pytest.importorskip("pandas", reason="needs pandas, which is not installed here")


def test_a_dask_dataframe_is_refused_with_where_to_go() -> None:
    frame = pd.DataFrame({"child_id": ["A"], "referral_date": ["2009-01-05"], "completion_date": ["2009-01-08"]})
    lazy = dd.from_pandas(frame, npartitions=1)
    for call in (
        lambda: casetime.load(lazy, record_type="ia"),
        lambda: casetime.load("x.csv", lazy),
        lambda: casetime.compute("NI59", lazy, "2008/09"),
        lambda: casetime.compute_all(lazy, "2008/09", record_type="ia"),
    ):
        with pytest.raises(CasetimeTypeError, match=r"casetime\.dask\.compute_all\(client, inputs, period"):
            call()
    assert casetime.compute("NI59", casetime.load(frame, record_type="ia"), "2008/09").total().numerator == 1
