"""The retention period: closed workshops in which nothing happened for N
days are deleted with their answers, votes and snapshot (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from learn_core.workshop import WorkshopStore
from tests.workshop.test_store import GROUPS, VALID, answers_of, empty_url, pg_base_url  # noqa: F401 - fixtures

DAY = timedelta(days=1)


def _age(url: str, code: str, days: int) -> None:
    """Make the workshop ``code`` and its answers and votes ``days`` days old."""
    engine = sa.create_engine(url)
    then = datetime.now(UTC) - days * DAY
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE workshops SET created_at = :t WHERE code = :c"), {"t": then, "c": code})
        for table in ("workshop_responses", "workshop_votes"):
            conn.execute(sa.text(f"UPDATE {table} SET updated_at = :t WHERE code = :c"), {"t": then, "c": code})
    engine.dispose()


def _rows(url: str, code: str) -> tuple[int, int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counts = tuple(conn.execute(sa.text(f"SELECT COUNT(*) FROM {t} WHERE code = :c"), {"c": code}).scalar()
                       for t in ("workshops", "workshop_responses", "workshop_votes"))
    engine.dispose()
    return counts


def test_only_closed_workshops_quiet_for_the_period_are_deleted(empty_url):  # noqa: F811 - the fixture
    with WorkshopStore(empty_url, valid_ids=VALID) as store:
        made = {}
        for name in ("old closed", "old open", "new closed", "old closed, answer yesterday"):
            w = store.create_workshop(name, GROUPS)
            store.submit(w.code, "p1", answers_of(4), group="Bauamt")
            store.vote(w.code, "p1", ["M-01"])
            made[name] = w
        for name in ("old closed", "old open", "old closed, answer yesterday"):
            _age(empty_url, made[name].code, 40)
        late = made["old closed, answer yesterday"]
        store.submit(late.code, "p2", answers_of(3), group="Kämmerei")  # an answer now: it is not quiet
        for name in ("old closed", "new closed", "old closed, answer yesterday"):
            store.close_workshop(made[name].code, made[name].admin_key)

        assert store.purge_closed(30) == 1
        assert _rows(empty_url, made["old closed"].code) == (0, 0, 0)
        assert _rows(empty_url, made["old open"].code) == (1, 1, 1)
        assert _rows(empty_url, made["new closed"].code) == (1, 1, 1)
        assert _rows(empty_url, late.code) == (1, 2, 1)
        assert store.purge_closed(30) == 0  # nothing left to delete
        # 41 days from now the new closed workshop is quiet for 41 days too; the late one only 41 since p2
        assert store.purge_closed(30, now=datetime.now(UTC) + 41 * DAY) == 2
        assert _rows(empty_url, made["old open"].code) == (1, 1, 1)  # open workshops are never deleted


@pytest.mark.parametrize("days", [0, -1, 1.5, True, "30"])
def test_a_retention_below_one_day_is_refused(tmp_path, days):
    with WorkshopStore(data_dir=tmp_path, valid_ids=VALID) as store, \
            pytest.raises(ValueError, match="Aufbewahrungsfrist muss mindestens 1 Tag betragen"):
        store.purge_closed(days)
