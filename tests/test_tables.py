"""Data tables are read by one loader that names the file and line of a bad row."""
import re

import pytest

from kg.tables import TableError, parse_table, read_table

GOOD = "# comment\nid\tpattern\tweight\n\nr.one\t骗[走取]\t3\nr.two\t止付\t\n"


def test_tables_rows_know_their_line_and_cells():
    rows = parse_table(GOOD, "t.tsv")
    assert [(r["id"], r.line) for r in rows] == [("r.one", 4), ("r.two", 5)]
    assert rows[1]["weight"] == ""


@pytest.mark.parametrize("text, where, what", [
    ("id\tpattern\nr.a\t骗(走\n", 2, "regular expression"),
    ("id\tweight\nr.a\t3\nr.a\t4\n", 3, "already used on line 2"),
    ("id\tweight\nr.a\tthree\n", 2, "must be a number"),
    ("id\trank\nr.a\t1.5\n", 2, "must be an integer"),
    ("id\tword\nr.a\tx\ty\n", 2, "3 cells"),
    ("id\tword\n\tx\n", 2, "id cell is empty"),
])
def test_tables_bad_row_is_reported_with_file_and_line(text, where, what):
    with pytest.raises(TableError) as err:
        parse_table(text, "kg/data/x.tsv")
    assert str(err.value).startswith(f"kg/data/x.tsv:{where}: ") and what in str(err.value)


def test_tables_missing_table_names_the_file():
    with pytest.raises(TableError, match=re.escape("kg/data/no_such_table.tsv")):
        read_table("no_such_table")


def test_tables_every_shipped_table_reads_cleanly():
    from importlib.resources import files
    names = sorted(p.name[:-4] for p in files("kg.data").iterdir() if p.name.endswith(".tsv"))
    assert "amount_roles" in names
    for name in names:
        if name in ("gazetteer", "regions"):   # read by kg.gazetteer, which checks them itself
            continue
        assert read_table(name), name
