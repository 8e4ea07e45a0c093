"""The dataset as one typed DuckDB database and as Parquet files, beside the CSVs.

CSV carries no types: pandas and DuckDB read a row number "1.1" as a float and an
empty column as float. The database and the Parquet files are made from the CSVs with
the contract's types (`schema.py`), primary keys and foreign keys, and views for the
joins data teams ask for. `references` is an SQL reserved word: its table is named
`doc_references` there (the CSV keeps its contract name).
"""
from __future__ import annotations

from pathlib import Path

from pipeline.output.schema import FOREIGN_KEYS, TABLES

DATABASE = "vnplan.duckdb"
PARQUET = "parquet"
SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE",
             "boolean": "BOOLEAN"}
SQL_NAMES = {"references": "doc_references"}
# Parents first, so that foreign keys can refer to them.
ORDER = ["documents", "agencies", "indicators", "targets", "tasks", "duties",
         "task_agencies", "budget", "references", "errors", "corrections"]
VIEWS = {
    "tasks_with_documents": """
        SELECT t.*, d.doc_number, d.doc_type, d.issuer, d.province, d.issue_date,
               a.level AS lead_agency_level, a.jurisdiction AS lead_agency_jurisdiction
        FROM tasks t JOIN documents d USING (doc_id)
        LEFT JOIN agencies a ON a.agency_id = t.lead_agency_id""",
    "targets_with_indicators": """
        SELECT g.*, i.doc_id, i."group", i.number, i.name, i.unit AS indicator_unit,
               i.lead_agency, d.doc_number, d.issuer, d.province, d.issue_date
        FROM targets g JOIN indicators i USING (indicator_id)
        JOIN documents d USING (doc_id)""",
    "plans": """SELECT * FROM documents WHERE duplicate_of IS NULL""",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create(table: str) -> str:
    spec = TABLES[table]
    cols = [f"{_q(c)} {SQL_TYPES[t]}" for c, t, _ in spec["columns"]]
    if spec["primary_key"]:
        cols.append(f"PRIMARY KEY ({', '.join(map(_q, spec['primary_key']))})")
    for own, parent, parent_col in FOREIGN_KEYS.get(table, []):
        cols.append(f"FOREIGN KEY ({_q(own)}) REFERENCES {SQL_NAMES.get(parent, parent)} "
                    f"({_q(parent_col)})")
    return f"CREATE TABLE {SQL_NAMES.get(table, table)} ({', '.join(cols)})"


def write_database(folder: Path) -> None:
    """vnplan.duckdb and parquet/<table>.parquet from the CSVs in folder."""
    import duckdb

    (folder / PARQUET).mkdir(exist_ok=True)
    con = duckdb.connect(str(folder / DATABASE))
    try:
        for table in ORDER:
            con.execute(_create(table))
            types = {c: SQL_TYPES[t] for c, t, _ in TABLES[table]["columns"]}
            columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in types.items()) + "}"
            csv = str(folder / f"{table}.csv").replace("'", "''")
            # an empty key part ("no row code") is the empty string, not unknown
            keep = [c for c in TABLES[table]["primary_key"] if types[c] == "VARCHAR"]
            con.execute(f"INSERT INTO {SQL_NAMES.get(table, table)} SELECT * FROM read_csv("
                        f"'{csv}', header=true, columns={columns}, nullstr='', quote='\"', "
                        f"escape='\"', delim=',', auto_detect=false"
                        + (f", force_not_null={keep}" if keep else "") + ")")
            target = str(folder / PARQUET / f"{table}.parquet").replace("'", "''")
            con.execute(f"COPY {SQL_NAMES.get(table, table)} TO '{target}' (FORMAT parquet)")
        for name, sql in VIEWS.items():
            con.execute(f"CREATE VIEW {name} AS {sql}")
    finally:
        con.close()
