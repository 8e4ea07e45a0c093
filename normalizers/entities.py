"""Entities in running text, with character offsets: agencies, legal references, dates,
periods, targets and money.

A blank spaCy `vi` pipeline with a tokenizer of our own (spaCy's punctuation rules;
document numbers and dates such as 73-CTr/TU, 08/5/2024 stay one token). Agencies come
from an EntityRuler whose patterns are generated from the agency registry, every alias
and its abbreviated forms, matched on accent-folded token norms, so "So Y te" and
"Sở LĐTBXH" find their agency. Legal references, dates, periods and numbers with units
are found by the normalisers' own grammars on a folded copy of the text that keeps
every offset. Overlaps keep the longest span. Each entity carries its typed value.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, filter_spans

from normalizers.agency_registry import admin_units, registry
from normalizers.legal_refs import find_references
from normalizers.periods import parse_period, period_patterns
from normalizers.targets import money_unit, parse_target, quantity_pattern
from normalizers.text import fold, fold_chars

LABELS = ("AGENCY", "LEGAL_REF", "DATE", "PERIOD", "TARGET", "MONEY")
# Codes and dates kept whole by the tokenizer: 73-CTr/TU, 13/2021/QĐ-UBND, 08/5/2024.
_CODE_TOKEN = re.compile(r"\d+(?:[/.-]\w+)*[/-]\w+(?:[/.&-]\w+)*|\d{1,2}/\d{1,2}(?:/\d{2,4})?")
# Period kinds that name a time in running text (a bare four-digit number does not).
_PERIOD_KINDS = ("quarter", "first_half", "second_half", "month", "range", "until",
                 "end_of_year", "year", "day_of_year")

if not Span.has_extension("value"):
    Span.set_extension("value", default=None)


@dataclass
class Entity:
    label: str
    start: int          # character offsets in the text given
    end: int
    text: str
    value: str          # canonical form: agency name, document number, ISO date, ...


@Language.component("vnplan_folded_norms")
def _folded_norms(doc: Doc) -> Doc:
    """Token norms without accents or case, what the agency patterns are written in."""
    for token in doc:
        token.norm_ = fold(token.text)
    return doc


@Language.component("vnplan_grammar_entities")
def _grammar_entities(doc: Doc) -> Doc:
    """Legal references, dates, periods and quantities from the normalisers' grammars,
    merged with the agencies already found (the longest span wins)."""
    spans = list(doc.ents)
    for label, start, end, value in _grammar_matches(doc.text):
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            span._.value = value
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


def _tokenizer(nlp: Language) -> Tokenizer:
    defaults = spacy.util.get_lang_class("xx").Defaults       # punctuation rules only
    return Tokenizer(nlp.vocab,
                     prefix_search=compile_prefix_regex(defaults.prefixes).search,
                     suffix_search=compile_suffix_regex(defaults.suffixes).search,
                     infix_finditer=compile_infix_regex(defaults.infixes).finditer,
                     token_match=_CODE_TOKEN.fullmatch)


def _abbreviated(name: str) -> list[str]:
    """The name and its forms with registry abbreviations put back ("Sở LĐTBXH")."""
    forms = [name]
    for short, full in registry()["abbreviations"].items():
        forms += [f.replace(full, short) for f in forms if full in f]
    return list(dict.fromkeys(forms))


def agency_patterns(nlp: Language) -> list[dict]:
    """EntityRuler token patterns for every registry spelling, on folded norms, plus
    "Ủy ban nhân dân <unit> <Place>" for any administrative unit."""
    reg = registry()
    patterns = []
    for name, entry in reg["entries"].items():
        for alias in [name, *entry.get("aliases", [])]:
            for form in _abbreviated(alias):
                tokens = [{"NORM": fold(t.text)} for t in nlp.make_doc(form)]
                patterns.append({"label": "AGENCY", "pattern": tokens, "id": name})
    for unit in admin_units():
        head = [{"NORM": w} for w in ("uy", "ban", "nhan", "dan", *fold(unit).split())]
        patterns.append({"label": "AGENCY", "id": "",
                         "pattern": head + [{"IS_TITLE": True, "OP": "+"}]})
    return patterns


@lru_cache(maxsize=1)
def pipeline() -> Language:
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = _tokenizer(nlp)
    nlp.add_pipe("vnplan_folded_norms")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(agency_patterns(nlp))
    nlp.add_pipe("vnplan_grammar_entities")
    return nlp


def _grammar_matches(text: str):
    folded = fold_chars(text)
    for ref in find_references(text):
        value = ref.number or ref.title
        yield "LEGAL_REF", ref.start, ref.end, value
    taken: list[tuple[int, int]] = []
    for kind, rx in period_patterns():
        if kind != "date" and kind not in _PERIOD_KINDS:
            continue
        for m in rx.finditer(folded):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue            # a longer kind listed earlier already has it
            taken.append((m.start(), m.end()))
            period = parse_period(text[m.start():m.end()])
            value = period.deadline.isoformat() if period.deadline else ""
            yield ("DATE" if kind == "date" else "PERIOD"), m.start(), m.end(), value
    for m in quantity_pattern().finditer(folded):
        raw = text[m.start():m.end()]
        money = money_unit(raw)
        target = parse_target(raw)
        if money and target and target.value_max is not None:
            yield "MONEY", m.start(), m.end(), f"{target.value_max * money[1]:.0f} VND"
        elif target:
            yield "TARGET", m.start(), m.end(), _target_value(target)


def _target_value(t) -> str:
    """'< 3 %', '30-35 %', '160000 lượt người/năm': a target as one short string."""
    low, high = (f"{v:g}" if v is not None else "" for v in (t.value_min, t.value_max))
    if t.comparator == "range":
        bounds = f"{low}-{high}"
    elif t.comparator in ("<", "<="):
        bounds = f"{t.comparator} {high}"
    elif t.comparator in (">", ">="):
        bounds = f"{t.comparator} {low}"
    else:
        bounds = low
    return f"{bounds} {t.unit}".strip()


def entities(text: str) -> list[Entity]:
    """Every entity in text, in order, with offsets and canonical values."""
    doc = pipeline()(text)
    return [Entity(e.label_, e.start_char, e.end_char, e.text,
                   e.ent_id_ or e._.value or e.text if e.label_ == "AGENCY" else e._.value or "")
            for e in doc.ents]


def render_html(text: str) -> str:
    """The text with its entities marked, as displaCy draws them (for notebooks)."""
    from spacy import displacy
    with warnings.catch_warnings():     # W006: a text without entities is no surprise here
        warnings.simplefilter("ignore", UserWarning)
        return displacy.render(pipeline()(text), style="ent", jupyter=False,
                               options={"ents": list(LABELS)})
