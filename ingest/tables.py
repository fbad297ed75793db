"""The canonical tables as data: columns, types, keys and load order.

Every reader and the loader take column names from here, so a name that reaches SQL as an
identifier has always been checked against this list first.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A column of a canonical table."""

    name: str
    type: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    """A canonical table: its columns, its key and the tables its ids refer to."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: tuple[tuple[str, str], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in schema order."""
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the columns a file must have."""
        return tuple(c.name for c in self.columns if c.required)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "films",
            (
                Column("film_id", "VARCHAR", True),
                Column("title", "VARCHAR", True),
                Column("year", "INTEGER"),
                Column("synopsis", "VARCHAR"),
                Column("runtime_minutes", "INTEGER"),
                Column("imdb_id", "VARCHAR"),
                Column("original_title", "VARCHAR"),
            ),
            key=("film_id",),
        ),
        Table(
            "people",
            (Column("person_id", "VARCHAR", True), Column("name", "VARCHAR", True), Column("imdb_id", "VARCHAR")),
            key=("person_id",),
        ),
        Table(
            "reviewers",
            (Column("reviewer_id", "VARCHAR", True), Column("display_name", "VARCHAR")),
            key=("reviewer_id",),
        ),
        Table(
            "credits",
            (
                Column("film_id", "VARCHAR", True),
                Column("person_id", "VARCHAR", True),
                Column("role", "VARCHAR", True),
                Column("billing", "INTEGER"),
            ),
            key=("film_id", "person_id", "role"),
            references=(("film_id", "films"), ("person_id", "people")),
        ),
        Table(
            "reviews",
            (
                Column("review_id", "VARCHAR", True),
                Column("film_id", "VARCHAR", True),
                Column("reviewer_id", "VARCHAR", True),
                Column("rating", "DECIMAL(2,1)"),
                Column("review_text", "VARCHAR"),
                Column("review_date", "DATE"),
                Column("likes", "INTEGER"),
                Column("rewatch", "BOOLEAN"),
                Column("source", "VARCHAR"),
            ),
            key=("review_id",),
            references=(("film_id", "films"), ("reviewer_id", "reviewers")),
        ),
        Table(
            "current_ratings",
            (
                Column("reviewer_id", "VARCHAR", True),
                Column("film_id", "VARCHAR", True),
                Column("rating", "DECIMAL(2,1)"),
            ),
            key=("reviewer_id", "film_id"),
            references=(("film_id", "films"), ("reviewer_id", "reviewers")),
        ),
        Table(
            "site_ratings",
            (
                Column("film_id", "VARCHAR", True),
                Column("site", "VARCHAR", True),
                Column("average", "DOUBLE"),
                Column("ratings", "BIGINT"),
            ),
            key=("film_id", "site"),
            references=(("film_id", "films"),),
        ),
        Table(
            "site_rating_counts",
            (
                Column("film_id", "VARCHAR", True),
                Column("site", "VARCHAR", True),
                Column("rating", "DECIMAL(2,1)", True),
                Column("ratings", "BIGINT", True),
            ),
            key=("film_id", "site", "rating"),
            references=(("film_id", "films"),),
        ),
    )
}

# Referenced tables first, so a load of any subset can check references as it goes.
LOAD_ORDER: tuple[str, ...] = (
    "films", "people", "reviewers", "credits", "reviews", "current_ratings", "site_ratings", "site_rating_counts",
)
# Tables a load replaces per reviewer rather than row by row: a reviewer's current ratings are a
# list as of one moment, so a film missing from a newer list has lost its rating.
REPLACED_PER_REVIEWER = ("current_ratings",)

# Defaults for columns a file may leave out; they match the DEFAULTs in schema.sql.
DEFAULTS: dict[tuple[str, str], str] = {
    ("reviews", "likes"): "0",
    ("reviews", "rewatch"): "false",
}

ID_COLUMN = {"films": "film_id", "people": "person_id", "reviewers": "reviewer_id"}
