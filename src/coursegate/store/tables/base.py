from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, MetaData

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so autoincrementing) on SQLite.
IdType = BigInteger().with_variant(Integer(), "sqlite")


def id_column() -> Column[int]:
    return Column("id", IdType, primary_key=True, autoincrement=True)


def site_column() -> Column[int]:
    return Column(
        "site_id", IdType, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False, index=True
    )
