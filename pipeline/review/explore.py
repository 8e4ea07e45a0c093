"""The dataset at a glance for notebooks/explore.ipynb: summaries and figures built from
the CSVs of an output folder, so the notebook stays a thin front end."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pandas as pd
from matplotlib.figure import Figure

from normalizers import lexicon
from normalizers.text import fold

SECTORS = Path(__file__).parent / "data" / "sectors.yaml"


@lru_cache(maxsize=1)
def _sector_patterns() -> tuple[list[tuple[str, re.Pattern]], str]:
    data = lexicon.load(SECTORS, {"sectors": (list, ("name", "keywords")), "other": str})
    return [(s["name"], re.compile(r"\b(?:" + "|".join(re.escape(fold(k)) for k in
                                                        s["keywords"]) + r")\b"))
            for s in data["sectors"]], data["other"]


def sector(*texts: str) -> str:
    """The first sector of data/sectors.yaml whose keyword occurs in the texts."""
    patterns, other = _sector_patterns()
    key = fold(" ".join(t for t in texts if t))
    return next((name for name, p in patterns if p.search(key)), other)


def distinct_plans(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables without the documents that repeat another (documents.duplicate_of: a
    plan's scan beside its PDF) and their rows: every count and figure counts a plan once."""
    docs = tables["documents"]
    dup = set(docs.loc[docs["duplicate_of"].fillna("") != "", "doc_id"])
    out = {name: (df[~df["doc_id"].isin(dup)] if "doc_id" in df.columns else df)
           for name, df in tables.items()}
    out["targets"] = out["targets"][out["targets"]["indicator_id"].isin(
        out["indicators"]["indicator_id"])]
    return out


def overview(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One line per document with the number of rows it contributes to each table."""
    docs = tables["documents"][["doc_id", "source_file", "doc_number", "doc_type", "issuer",
                                "issue_date", "page_count", "input_kind", "restored",
                                "duplicate_of"]].copy()
    per_indicator = tables["indicators"][["indicator_id", "doc_id"]]
    targets = tables["targets"].merge(per_indicator, on="indicator_id", how="inner")
    for name, df in [("indicators", tables["indicators"]), ("targets", targets),
                     ("tasks", tables["tasks"]), ("references", tables["references"]),
                     ("budget", tables["budget"])]:
        docs[name] = docs["doc_id"].map(df.groupby("doc_id").size()).fillna(0).astype(int)
    return docs


def indicators_by_sector(tables: dict[str, pd.DataFrame]) -> pd.Series:
    ind = tables["indicators"]
    return ind.apply(lambda r: sector(r["name"], r["group"]), axis=1).value_counts()


def numeric_targets(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Targets and baselines with a number: the middle of a range, the bound of `<`/`>`."""
    t = tables["targets"].copy()
    lo = pd.to_numeric(t["value_min"], errors="coerce")
    hi = pd.to_numeric(t["value_max"], errors="coerce")
    t["value"] = pd.concat([lo, hi], axis=1).mean(axis=1)
    t["year"] = pd.to_numeric(t["year"], errors="coerce")
    t = t.dropna(subset=["value", "year"])
    names = tables["indicators"].set_index("indicator_id")[["name", "unit"]]
    return t.join(names, on="indicator_id", rsuffix="_indicator")


def indicator_across_plans(tables: dict[str, pd.DataFrame], canonical_id: str = "") -> pd.DataFrame:
    """One canonical indicator's numeric targets in every plan that sets it, by province
    and year (documents.province, indicators.canonical_indicator_id); by default the
    indicator the most plans share. Each plan once (distinct_plans)."""
    tables = distinct_plans(tables)
    ind = tables["indicators"].dropna(subset=["canonical_indicator_id"])
    if ind.empty:
        return pd.DataFrame(columns=["province", "issuer", "doc_number", "name", "kind",
                                     "year", "value", "unit"])
    if not canonical_id:
        canonical_id = ind.groupby("canonical_indicator_id")["doc_id"].nunique().idxmax()
    ind = ind[ind["canonical_indicator_id"] == canonical_id]
    docs = tables["documents"].set_index("doc_id")[["province", "issuer", "doc_number"]]
    t = numeric_targets(tables)
    t = t[t["indicator_id"].isin(ind["indicator_id"])]
    t = t.join(ind.set_index("indicator_id")["doc_id"], on="indicator_id").join(docs, on="doc_id")
    return (t[["province", "issuer", "doc_number", "name", "kind", "year", "value", "unit"]]
            .sort_values(["province", "doc_number", "year"]).reset_index(drop=True))


def _figure(width: float = 9, height: float = 4.5) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _short(text: str, n: int = 45) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def plot_sectors(tables: dict[str, pd.DataFrame]) -> Figure:
    fig, ax = _figure()
    counts = indicators_by_sector(tables)
    ax.barh(counts.index[::-1], counts.values[::-1], color="#4c72b0")
    ax.set_xlabel("indicators")
    ax.set_title("Indicators by sector")
    return fig


def plot_targets(tables: dict[str, pd.DataFrame], unit: str = "%", limit: int = 8) -> Figure:
    """Targets over the years for the indicators (in `unit`) with the most yearly values."""
    fig, ax = _figure(10, 5)
    t = numeric_targets(tables)
    t = t[t["unit"] == unit]
    top = t.groupby("indicator_id").size().sort_values(ascending=False).head(limit).index
    for ind in top:
        s = t[t["indicator_id"] == ind].sort_values("year")
        ax.plot(s["year"], s["value"], marker="o", label=_short(s["name"].iloc[0]))
    ax.set_xlabel("year")
    ax.set_ylabel(unit)
    ax.set_title(f"Targets over the years (indicators in {unit})")
    if len(top):
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
        ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def tasks_per_agency(tables: dict[str, pd.DataFrame]) -> pd.Series:
    return tables["tasks"]["lead_agency"].replace("", "(none)").value_counts()


def plot_tasks_per_agency(tables: dict[str, pd.DataFrame], limit: int = 15) -> Figure:
    fig, ax = _figure()
    counts = tasks_per_agency(tables).head(limit)
    ax.barh([_short(n) for n in counts.index[::-1]], counts.values[::-1], color="#55a868")
    ax.set_xlabel("tasks led")
    ax.set_title("Tasks per lead agency")
    return fig


def plot_deadlines(tables: dict[str, pd.DataFrame], limit: int = 12) -> Figure:
    """Each dated task as a point on its lead agency's line."""
    fig, ax = _figure(10, 5)
    t = tables["tasks"].copy()
    t["deadline"] = pd.to_datetime(t["deadline"], errors="coerce")
    t = t.dropna(subset=["deadline"])
    agencies = t["lead_agency"].value_counts().head(limit).index
    t = t[t["lead_agency"].isin(agencies)]
    rows = {a: i for i, a in enumerate(agencies)}
    ax.scatter(t["deadline"], t["lead_agency"].map(rows), color="#c44e52")
    ax.set_yticks(list(rows.values()), [_short(a, 40) for a in rows])
    ax.set_title("Task deadlines by lead agency")
    return fig


def reference_graph(tables: dict[str, pd.DataFrame]) -> nx.DiGraph:
    """Documents and the documents they cite; edges weighted by mentions."""
    g = nx.DiGraph()
    names = dict(zip(tables["documents"]["doc_id"],
                     tables["documents"]["doc_number"].where(
                         tables["documents"]["doc_number"] != "",
                         tables["documents"]["source_file"])))
    for r in tables["references"].itertuples():
        cited = r.ref_number or _short(r.ref_title, 30)
        g.add_edge(names.get(r.doc_id, r.doc_id), cited, weight=int(r.mentions or 1))
    for name in names.values():
        g.add_node(name, kind="document")
    return g


def plot_reference_graph(tables: dict[str, pd.DataFrame]) -> Figure:
    fig, ax = _figure(10, 8)
    g = reference_graph(tables)
    if g.number_of_nodes():
        pos = nx.spring_layout(g, seed=7, k=0.9)
        docs = [n for n, d in g.nodes(data=True) if d.get("kind") == "document"]
        nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.4, arrowsize=8)
        nx.draw_networkx_nodes(g, pos, ax=ax, node_size=40, node_color="#8172b2")
        nx.draw_networkx_nodes(g, pos, nodelist=docs, ax=ax, node_size=160,
                               node_color="#dd8452")
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=6)
    ax.set_title("References between documents")
    ax.set_axis_off()
    return fig


FIGURES = {"sectors": plot_sectors, "targets": plot_targets,
           "tasks_per_agency": plot_tasks_per_agency, "deadlines": plot_deadlines,
           "references": plot_reference_graph}


def save_figures(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Every figure as a PNG in folder (for reports, and checked by the tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, plot in FIGURES.items():
        path = folder / f"{name}.png"
        plot(tables).savefig(path, dpi=110)
        paths.append(path)
    return paths
