"""The review screen of notebooks/review.ipynb: one queued row at a time, its source
crop and text, editable fields and Accept / Save edits / Reject / Skip buttons.

All decisions go through `ReviewSession`; this module only lays out widgets, so a
test can drive it by setting field values and calling `button.click()`.
"""
from __future__ import annotations

import html
import io

import ipywidgets as w

from normalizers.entities import render_html

from pipeline.review.session import ReviewSession
from pipeline.output.schema import ROW_KEYS, columns

# Columns a reviewer edits; provenance (page, bbox, ids) stays as extracted.
EDITABLE = {
    "indicators": ["group", "number", "name", "unit", "lead_agency", "coordinating_agencies"],
    "tasks": ["group", "number", "description", "lead_agency", "coordinating_agencies",
              "start_date", "deadline", "recurrence", "funding_sources"],
    "targets": ["raw", "comparator", "value_min", "value_max", "unit"],
    "budget": ["item", "unit", "raw", "value", "value_vnd", "funding_source"],
}


class ReviewApp:
    def __init__(self, session: ReviewSession, doc_id: str | None = None):
        self.session = session
        docs = session.tables["documents"]
        self.doc = w.Dropdown(options=[("all documents", "")] + [
            (f"{r.source_file} ({r.doc_number or r.doc_id})", r.doc_id)
            for r in docs.itertuples()], value=doc_id or "", description="Document")
        self.status = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.text = w.HTML()
        self.fields: dict[str, w.Text] = {}
        self.form = w.VBox()
        self.note = w.Text(description="Note", placeholder="why (optional)")
        self.buttons = {name: w.Button(description=name, button_style=style)
                        for name, style in [("Accept", "success"), ("Save edits", "primary"),
                                            ("Reject", "danger"), ("Skip", "")]}
        self.buttons["Accept"].on_click(lambda _: self._decide("accept"))
        self.buttons["Save edits"].on_click(lambda _: self._decide("edit"))
        self.buttons["Reject"].on_click(lambda _: self._decide("reject"))
        self.buttons["Skip"].on_click(lambda _: self._advance())
        self.doc.observe(lambda _: self.refresh(), names="value")
        self.widget = w.VBox([self.doc, self.status, self.image, self.text, self.form,
                              self.note, w.HBox(list(self.buttons.values()))])
        self.position = 0
        self.refresh()

    def refresh(self) -> None:
        self.queue = self.session.queue(self.doc.value or None)
        self.position = 0
        self.show()

    @property
    def current(self) -> tuple[str, str] | None:
        if self.position >= len(self.queue):
            return None
        item = self.queue.iloc[self.position]
        return item["table"], item["row_id"]

    def show(self) -> None:
        if self.current is None:
            self.status.value = "<b>Nothing left to review.</b>"
            self.form.children, self.image.value, self.text.value = (), b"", ""
            return
        table, rid = self.current
        item = self.queue.iloc[self.position]
        row = self.session.row(table, rid)
        self.status.value = (f"<b>{self.position + 1} / {len(self.queue)}</b> · {table} "
                             f"<code>{html.escape(rid)}</code> · page {item['page']} · "
                             f"confidence {item['confidence']:.2f}<br><i>"
                             f"{html.escape(item['checks'] or 'no failed checks')}</i>")
        crop = self.session.source_image(table, rid)
        buf = io.BytesIO()
        if crop is not None:
            crop.save(buf, format="PNG")
        self.image.value = buf.getvalue()
        problem = self.session.crop_problem(table, rid)
        if problem:
            self.status.value += f"<br><i>no source crop: {html.escape(problem)}</i>"
        # The lines around the row, agencies, references, dates and targets marked.
        self.text.value = render_html(self.session.source_text(table, rid))
        keys = ", ".join(f"{c}={row[c]}" for c in ROW_KEYS[table])
        self.fields = {c: w.Text(value=str(row.get(c, "")), description=c,
                                 layout=w.Layout(width="95%"))
                       for c in EDITABLE.get(table, columns(table)) if c in row}
        self.form.children = [w.HTML(f"<small>{html.escape(keys)}</small>"),
                              *self.fields.values()]

    def _decide(self, action: str) -> None:
        if self.current is None:
            return
        table, rid = self.current
        note = self.note.value
        if action == "edit":
            row = self.session.row(table, rid)
            for field, box in self.fields.items():
                if box.value != str(row.get(field, "")):
                    self.session.edit(table, rid, field, box.value, note)
        elif action == "accept":
            self.session.accept(table, rid, note)
        else:
            self.session.reject(table, rid, note)
        self.note.value = ""
        self._advance()

    def _advance(self) -> None:
        self.position += 1
        self.show()
