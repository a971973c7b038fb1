"""PostgreSQL bulk loading: check a big batch's foreign keys once, not row by row.

Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so PostgreSQL queues one check per row and
reference; for a million rows that is most of the load time. As the PostgreSQL manual advises for
bulk loads, the table's foreign keys are dropped inside the import's transaction and added back
(with their exact definitions, validated in one pass each) before it commits: a failure rolls
everything back, and other sessions never see the table without its constraints.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

FOREIGN_KEYS = """
    SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname
"""


@contextlib.contextmanager
def foreign_keys_checked_once(cursor, table: str) -> Iterator[None]:
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the checks already queued: ALTER TABLE needs none pending
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are INITIALLY DEFERRED
    cursor.execute(FOREIGN_KEYS, [f'"{table}"'])
    constraints = cursor.fetchall()
    for name, _definition in constraints:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    yield
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
