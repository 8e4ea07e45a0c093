"""Extractors on real renders: skew detection, page classification, image guards."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractors.sources import images, pdf
from extractors.ocr import preprocess
from extractors.errors import CorruptInput, EmptyInput, ImageTooLarge, UnsupportedInput
from extractors.sources.ingest import ingest, sniff
from extractors.ocr.page import ocr_image_page
from extractors.tables.scanned import clean_cell
from tests.conftest import FIXTURES, RAW, ROOT


@pytest.fixture(scope="module")
def page_image() -> Image.Image:
    image, _ = pdf.render_page(RAW / "000_born_digital.pdf", 0, 150)
    return image


@pytest.mark.parametrize("angle", [-3.0, -1.2, 0.0, 0.7, 2.5])
def test_skew_is_measured(page_image, angle):
    skewed = page_image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    assert preprocess.estimate_skew(np.asarray(skewed)) == pytest.approx(-angle, abs=0.2)


@pytest.mark.slow
def test_upside_down_page_is_turned_and_read(page_image):
    image, _ = pdf.render_page(RAW / "000_born_digital.pdf", 0, 300)
    page = ocr_image_page(image.rotate(180), 1, 300)
    assert page.rotation == 180
    assert "KẾ HOẠCH" in page.text


TASK_ROWS = [["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"],
             ["1", "Rà soát hộ nghèo, hộ cận nghèo trên địa bàn các phường", "Sở Nội vụ",
              "Quý IV/2025"],
             ["2", "Tập huấn cán bộ làm công tác giảm nghèo", "Sở Tài chính", "Năm 2026"],
             ["3", "Kiểm tra việc thực hiện chính sách đối với người có công", "Sở Y tế",
              "Tháng 6/2026"]]


@pytest.mark.slow
def test_a_table_page_turned_on_its_side_gives_its_table_upright(tmp_path):
    """An appendix table printed landscape and scanned portrait (90°): turned by OSD,
    its rules found and its cells read on the same path as an upright page."""
    rows = TASK_ROWS
    path = tmp_path / "landscape.pdf"
    _table_pdf(path, rows, ruled=True)
    image, dpi = pdf.render_page(path, 0, 300)
    page = ocr_image_page(image.rotate(90, expand=True, fillcolor=255), 1, dpi)
    assert page.rotation == 90
    assert [t.rows for t in page.tables] == [rows]


@pytest.mark.slow
@pytest.mark.parametrize("turn", [90, -90])
def test_a_table_on_its_side_under_an_upright_heading_keeps_both(tmp_path, turn):
    """An appendix whose heading is printed upright and whose table lies on its side
    below it: the page is turned for the table, and the heading, which read well
    upright, is kept first (it names the plan and the year) instead of the debris the
    turned reading makes of it."""
    from PIL import ImageDraw, ImageFont, ImageOps
    rows = TASK_ROWS
    _table_pdf(tmp_path / "table.pdf", rows, ruled=True)
    image, dpi = pdf.render_page(tmp_path / "table.pdf", 0, 300)
    gray = image.convert("L")
    table = gray.crop(ImageOps.invert(gray).getbbox()).rotate(turn, expand=True, fillcolor=255)
    page_image = Image.new("L", (2481, 3508), 255)
    draw = ImageDraw.Draw(page_image)
    fonts = "/usr/share/fonts/truetype/liberation2/LiberationSerif-"
    heading = ["PHỤ LỤC: NHIỆM VỤ CỤ THỂ NĂM 2026",
               "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND phường)"]
    draw.text((300, 250), heading[0], font=ImageFont.truetype(fonts + "Bold.ttf", 54), fill=0)
    draw.text((300, 350), heading[1], font=ImageFont.truetype(fonts + "Regular.ttf", 50), fill=0)
    page_image.paste(table, ((page_image.width - table.width) // 2, 550))
    page = ocr_image_page(page_image, 1, dpi)
    assert page.rotation in (90, 270)
    assert [line.text for line in page.lines[:2]] == heading
    assert [t.rows for t in page.tables] == [rows]
    assert page.lines[2].text == "Các nhiệm vụ cụ thể được giao như sau:"     # no debris


def test_born_digital_and_scanned_pages_are_told_apart():
    with pdf.open_pdf(RAW / "000_born_digital.pdf") as handle:
        assert pdf.has_text_layer(handle.pages[0])
    with pdf.open_pdf(FIXTURES / "003_scanned_head.pdf") as handle:
        assert not pdf.has_text_layer(handle.pages[0])


def test_text_layer_words_have_boxes_inside_the_page():
    doc = ingest(RAW / "000_born_digital.pdf", "x").document
    first = doc.pages[0]
    assert first.lines[0].text.startswith("Số: 207")
    for line in first.lines:
        x0, y0, x1, y1 = line.bbox
        assert 0 <= x0 < x1 <= first.width and 0 <= y0 < y1 <= first.height


def test_image_bomb_is_refused():
    with pytest.raises(ImageTooLarge, match="downscale"):
        list(images.image_pages(FIXTURES / "bad" / "huge.png"))


def test_multipage_tiff_is_read(tmp_path, page_image):
    tif = tmp_path / "two.tif"
    page_image.save(tif, save_all=True, append_images=[page_image], dpi=(150, 150))
    frames = list(images.image_pages(tif))
    assert len(frames) == 2 and frames[0][1] == 150


def test_sniff_reads_bytes_not_names(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "fake.pdf").write_text("hello")
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04")         # a damaged Word file
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04")         # a damaged workbook
    (tmp_path / "x.odt").write_bytes(b"PK\x03\x04")         # a damaged OpenDocument file
    (tmp_path / "x.odp").write_bytes(b"PK\x03\x04")         # slides: not a plan's format
    with pytest.raises(EmptyInput):
        sniff(tmp_path / "empty.txt")
    with pytest.raises(CorruptInput, match="no %PDF header"):
        sniff(tmp_path / "fake.pdf")
    with pytest.raises(CorruptInput, match="re-export"):
        sniff(tmp_path / "x.docx")
    with pytest.raises(CorruptInput, match="re-export"):
        sniff(tmp_path / "x.xlsx")
    with pytest.raises(CorruptInput, match="re-export"):
        sniff(tmp_path / "x.odt")
    with pytest.raises(UnsupportedInput, match="supported"):
        sniff(tmp_path / "x.odp")
    renamed = tmp_path / "scan.bin"
    renamed.write_bytes((FIXTURES / "003_scanned_head.pdf").read_bytes()[:64])
    assert sniff(renamed) == "pdf"


@pytest.mark.slow
def test_scanned_table_page_gives_a_grid_with_merged_cells():
    image, dpi = pdf.render_page(RAW / "000_scanned.pdf", 16, 300)   # the indicator table
    page = ocr_image_page(image, 17, dpi)
    assert len(page.tables) == 1
    table = page.tables[0]
    assert table.n_cols == 11 and table.bbox[2] - table.bbox[0] > 600
    body = [r for r in table.rows if r[0] and r[0].isdigit()]
    assert [r[0] for r in body] == [str(n) for n in range(4, 11)]   # lone row numbers read
    five = body[1]
    assert five[1].startswith("Tỷ lệ người sau") and five[3] == "45%- 47%"
    assert body[-1][9] is None                    # a merged lead-agency cell
    assert "|" not in " ".join(c for r in table.rows for c in r if c)   # rules erased
    # every cell carries the mean OCR confidence of its words (None: no words)
    assert [len(r) for r in table.cell_conf] == [len(r) for r in table.rows]
    scores = [c for r in table.cell_conf for c in r if c is not None]
    assert scores and all(0 <= c <= 100 for c in scores)


@pytest.mark.slow
def test_prose_page_has_no_table():
    image, dpi = pdf.render_page(FIXTURES / "003_scanned_head.pdf", 0, 300)
    assert ocr_image_page(image, 1, dpi).tables == []


@pytest.mark.parametrize("raw,clean", [
    ("448.046.", "448.046"), ("494:", "494"), (". 478", "478"), ("| 100% |", "100%"),
    ("Ngân ^ sách Thành phố ~", "Ngân sách Thành phố"), ("45%- 47%", "45%- 47%"),
    ("2021 - 2025", "2021 - 2025"), ("-", "-"), ("Dưới 3%", "Dưới 3%"),
])
def test_ocr_specks_are_cleaned_from_scanned_cells(raw, clean):
    # Regression: 003's scanned budget cells read "448.046." and "Ngân ^ sách".
    assert clean_cell(raw) == clean


def test_roman_row_numbers_misread_by_ocr_are_mended():
    from extractors.tables.scanned import mend_roman_numbers
    from extractors.tables.model import Table
    table = Table(1, (0, 0, 1, 1), [["A", "x"], ["H", "x"], ["IH", "x"], ["li", "x"],
                                    ["IV", "x"], ["1", "x"]])
    mend_roman_numbers(table)
    assert [r[0] for r in table.rows] == ["A", "II", "III", "II", "IV", "1"]
    letters = Table(1, (0, 0, 1, 1), [["G", "x"], ["H", "x"]])     # no true numeral: letters
    mend_roman_numbers(letters)
    assert [r[0] for r in letters.rows] == ["G", "H"]


def test_scans_are_read_at_their_own_resolution():
    from extractors.sources.pdf import render_scan, scan_dpi
    assert round(scan_dpi(RAW / "003_scanned.pdf", 0)) == 200
    assert scan_dpi(RAW / "000_born_digital.pdf", 0) is None
    image, dpi = render_scan(RAW / "003_scanned.pdf", 0)
    assert dpi == 200 and abs(image.width - 1654) <= 2


def test_cell_specks_and_punctuation_read_apart():
    from extractors.tables.scanned import clean_cell
    assert clean_cell("bảo đảm đúng tiến:độ") == "bảo đảm đúng tiến độ"
    assert clean_cell("liên quan ; UBND các quận") == "liên quan; UBND các quận"
    assert clean_cell("~ 448.046.") == "448.046"


def _table_pdf(path, rows, ruled: bool = False):
    """A landscape page: an intro line and `rows` as a table, with rules or without."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    pdfmetrics.registerFont(TTFont("BorderlessSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    cell = ParagraphStyle("c", fontName="BorderlessSerif", fontSize=10, leading=13)
    t = Table([[Paragraph(c, cell) for c in r] for r in rows], colWidths=[35, 190, 120, 90])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]
                          + ([("GRID", (0, 0), (-1, -1), 0.7, "black")] if ruled else [])))
    intro = Paragraph("Các nhiệm vụ cụ thể được giao như sau:", cell)
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([intro, t])


def _borderless_pdf(path):
    _table_pdf(path, [["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"],
                      ["1", "Rà soát hộ nghèo, hộ cận nghèo trên địa bàn các phường",
                       "Sở Nội vụ", "Quý IV/2025"],
                      ["2", "Tập huấn cán bộ làm công tác giảm nghèo", "Sở Tài chính",
                       "Năm 2026"]])


def test_borderless_table_from_text_layer_and_from_ocr(tmp_path):
    """No ruling lines: the table is found by the alignment of its words, in the text
    layer and in the OCR of the same page rendered as a scan."""
    path = tmp_path / "open.pdf"
    _borderless_pdf(path)
    born = ingest(path, "open.pdf").document.pages[0].tables
    image, dpi = pdf.render_page(path, 0, 300)
    scanned = ocr_image_page(image, 1, dpi).tables
    for tables in (born, scanned):
        assert len(tables) == 1
        rows = tables[0].rows
        assert rows[0] == ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"]
        assert rows[1] == ["1", "Rà soát hộ nghèo, hộ cận nghèo trên địa bàn các phường",
                           "Sở Nội vụ", "Quý IV/2025"]
        assert rows[2][2:] == ["Sở Tài chính", "Năm 2026"]


def test_roman_quarters_misread_as_digits_are_mended_by_their_column():
    from extractors.tables.scanned import mend_quarter_numerals
    from extractors.tables.model import Table
    roman = Table(1, (0, 0, 1, 1), [["Thời gian"], ["Quý 1/2025"], ["Quý IV/2025"],
                                    ["Quý 11/2026"], ["Quý II năm 2026"], ["Tháng 3/2025"]])
    mend_quarter_numerals(roman)
    assert [r[0] for r in roman.rows] == ["Thời gian", "Quý I/2025", "Quý IV/2025",
                                          "Quý II/2026", "Quý II năm 2026", "Tháng 3/2025"]
    half = Table(1, (0, 0, 1, 1), [["Quý I1/2026"], ["Quý 1/2025"]])    # "I1": Roman, half read
    mend_quarter_numerals(half)
    assert [r[0] for r in half.rows] == ["Quý II/2026", "Quý I/2025"]
    arabic = Table(1, (0, 0, 1, 1), [["Quý 1/2025"], ["Quý 3/2025"], ["Quý 4/2025"]])
    mend_quarter_numerals(arabic)                 # a column of Arabic quarters stays
    assert [r[0] for r in arabic.rows] == ["Quý 1/2025", "Quý 3/2025", "Quý 4/2025"]


def test_roman_quarters_follow_the_tables_convention_across_columns():
    """Regression (DejaVu Serif, 12 pt, 200 dpi): a start column of "Quý I" and "Quý II"
    read as "1" and "1", beside an end column of "IV" and "11", kept its digits."""
    from extractors.tables.scanned import mend_quarter_numerals
    from extractors.tables.model import Table
    table = Table(1, (0, 0, 1, 1), [["Bắt đầu", "Hoàn thành"], ["Quý 1/2025", "Quý IV/2025"],
                                    ["Quý 1/2025", "Quý 11/2026"], ["Năm 2025", "Năm 2026"]])
    mend_quarter_numerals(table)
    assert table.rows[1:3] == [["Quý I/2025", "Quý IV/2025"], ["Quý I/2025", "Quý II/2026"]]
    lone = Table(1, (0, 0, 1, 1), [["Quý 2/2025", "Quý 11/2025"], ["Quý 3/2025", "Quý 4/2025"]])
    mend_quarter_numerals(lone)           # Arabic quarters; "11" is still no eleventh quarter
    assert lone.rows == [["Quý 2/2025", "Quý II/2025"], ["Quý 3/2025", "Quý 4/2025"]]


def test_period_cells_lose_ocr_specks():
    from extractors.tables.scanned import clean_cell
    assert clean_cell("Năm - 2026") == "Năm 2026"
    assert clean_cell("Quý I1⁄2026") == "Quý I1/2026"
    assert clean_cell("2025 - 2030") == "2025 - 2030"


@pytest.mark.slow
def test_cells_carry_their_box_and_span():
    """The table model: every cell's box in PDF points (a merged cell's covers its span)
    and the spans themselves, from a scanned table with a merged lead-agency cell."""
    image, dpi = pdf.render_page(RAW / "000_scanned.pdf", 16, 300)
    table = ocr_image_page(image, 17, dpi).tables[0]
    assert [len(r) for r in table.cell_bboxes] == [len(r) for r in table.rows]
    spans = {(i, j): (h, w) for i, j, h, w in table.spans()}
    merged = [(i, j, h) for (i, j), (h, w) in spans.items() if h > 1 and j == 9]
    assert merged                                   # the lead agency spans several rows
    i, j, h = merged[0]
    x0, y0, x1, y1 = table.cell_bboxes[i][j]
    assert y1 > table.row_bboxes[i + h - 1][1] and y0 == table.row_bboxes[i][1]
    assert table.cell_bboxes[i + 1][j] is None


REAL_SIGNED = ROOT.parent / "shared" / "real" / "angiang-qd-06-2022.pdf"


@pytest.mark.skipif(not REAL_SIGNED.exists(), reason="../shared/real not on this machine")
def test_digital_signatures_of_a_signed_decision():
    from extractors.sources.pdf import digital_signatures
    assert digital_signatures(REAL_SIGNED) == [
        ("Ủy ban Nhân dân tỉnh", "2022-03-04T15:03:28+07:00"),
        ("Ủy ban Nhân dân tỉnh", "2022-03-04T15:04:01+07:00")]
    assert digital_signatures(FIXTURES / "003_scanned_head.pdf") == []


@pytest.mark.slow
def test_words_tesseract_gave_up_on_are_read_again_in_black_and_white():
    """Regression (000_scanned.pdf page 18, grey OCR): over a shaded cell '75,7' came
    back as 'f4SĐƒA' and '2,1' as 'Phi', at confidence 0."""
    image, dpi = pdf.render_scan(RAW / "000_scanned.pdf", 17)
    words = [w.text for line in ocr_image_page(image, 18, dpi).lines for w in line.words]
    assert {"75,5", "75,7", "75,9", "76,1"} <= set(words)
    assert not {"f4SĐƒA", "Phi", "VẬII"} & set(words)
    # Regression (Tesseract 5.5): '75,9' read '79,9' at 69, '13,7' read '137' at 63; a
    # number it doubts is read again too
    assert "13,7" in words and not {"79,9", "137"} & set(words)


def test_a_slash_between_digits_read_as_a_letter_is_a_slash():
    """Regression (Liberation Sans 13 pt scan): 'Tháng 7/2026' came out 'Tháng 7I2026'."""
    from extractors.model import Line, Word
    from extractors.ocr.page import mend_words
    words = ["Tháng", "7I2026", "30I6l2026", "Quý", "I/2025", "II", "2026"]
    for lang in ("vie", "eng"):         # not a mark: mended whatever the OCR language
        [line] = mend_words([Line([Word(w, (0, 0, 1, 1), 99.0) for w in words])], lang)
        assert [w.text for w in line.words] == ["Tháng", "7/2026", "30/6/2026", "Quý",
                                                "I/2025", "II", "2026"]


def test_a_thousands_point_read_as_a_colon_is_a_point():
    """Regression (000_scanned.pdf, last page): '9.378.825' came out '9:378.825'; a time
    keeps its colon."""
    from extractors.model import Line, Word
    from extractors.ocr.page import mend_words
    words = ["9:378.825", "1.250:000", "10:30", "9:378", "12:45:00"]
    [line] = mend_words([Line([Word(w, (0, 0, 1, 1), 99.0) for w in words])], "vie")
    assert [w.text for w in line.words] == ["9.378.825", "1.250.000", "10:30", "9:378",
                                            "12:45:00"]


def test_a_rule_down_the_page_read_as_bars_is_dropped():
    """Regression (daknong-qd-240-2019-land-use-scan.pdf, Tesseract 5.5): a rule down the
    page came out as 'QUYẾT ĐỊNH |' and lines of '|', and the document lost its type and
    title; a speck came out as a lone apostrophe in a title ('Xây dựng ' kế hoạch', the
    directive scan). A bar or an apostrophe inside a word stays ('R'lấp')."""
    from extractors.model import Line, Word
    from extractors.ocr.page import mend_words
    lines = mend_words([Line([Word(w, (0, 0, 1, 1), 99.0) for w in words])
                        for words in (["QUYẾT", "ĐỊNH", "|"], ["|"], ["¦", "Số", "a|b"],
                                      ["Xây", "dựng", "'", "kế", "R'lấp"])], "vie")
    assert [[w.text for w in line.words] for line in lines] == [
        ["QUYẾT", "ĐỊNH"], ["Số", "a|b"], ["Xây", "dựng", "kế", "R'lấp"]]


def test_missing_tesseract_language_data_says_what_to_install():
    from extractors.ocr import tesseract
    with pytest.raises(tesseract.TesseractMissing, match="apt-get install -y tesseract-ocr-vie "
                                                         "tesseract-ocr-xyz"):
        tesseract.tessdata("vie+xyz")
    assert (Path(tesseract.tessdata("vie")) / "vie.traineddata").is_file()


def test_crops_taller_together_than_tesseract_reads_are_read_in_several_stacks():
    """Regression (tesserocr): the doubtful words of a page upside down, stacked, were an
    image taller than Tesseract's 32,767 pixels: 'Failed to recognize'."""
    from extractors.ocr.crops import MAX_HEIGHT, read_stacked
    word = np.full((400, 300), 255, np.uint8)
    word[150:250, 40:260] = 0
    crops = [word] * (MAX_HEIGHT // 400 + 10)
    assert len(read_stacked(crops, "vie")) == len(crops)


REAL_DIRECTIVE = ROOT.parent / "shared" / "real" / "daknong-drl-ct-08-scan.pdf"


@pytest.mark.skipif(not REAL_DIRECTIVE.exists(), reason="../shared/real not on this machine")
def test_tesseract_keeps_its_notes_off_the_users_terminal(capfd):
    """Regression (tesserocr): page 2 of the real Đắk Nông directive scan printed
    Leptonica's 'Error in boxClipToRectangle: box outside rectangle' between the
    progress bars, which the `tesseract` command had kept to itself."""
    image, dpi = pdf.render_scan(REAL_DIRECTIVE, 1)
    page = ocr_image_page(image, 2, dpi)
    assert len(page.lines) > 20
    assert capfd.readouterr().err == ""
