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
    target = MIGRATIONS / "versions" / "0001_initial_schema.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'empty.db'}"
        command.revision(
            alembic_config(url), message="initial schema", autogenerate=True, rev_id="0001"
        )
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
