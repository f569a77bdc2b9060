"""Regenerate store/migrations/versions/0001_initial_schema.py from the table definitions.

Until the first release, the schema lives in one initial revision rebuilt from the models
(tests/test_migrations.py proves the two agree). After a release, add revisions instead.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from coursegate.platform.migrate import MIGRATIONS, alembic_config


def main() -> None:
    versions = MIGRATIONS / "versions"
    target = versions / "0001_initial_schema.py"
    target.unlink(missing_ok=True)
    # Later revisions (written by hand: optional PostgreSQL indexes, see store/search_indexes.py)
    # build on 0001; they step aside while it is generated against an empty database.
    later = sorted(versions.glob("0[0-9][0-9][0-9]_*.py"))
    with tempfile.TemporaryDirectory() as tmp:
        aside = Path(tmp) / "later"
        aside.mkdir()
        for path in later:
            path.rename(aside / path.name)
        try:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'empty.db'}"
            command.revision(
                alembic_config(url), message="initial schema", autogenerate=True, rev_id="0001"
            )
        finally:
            for path in later:
                (aside / path.name).rename(path)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
