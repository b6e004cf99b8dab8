"""The PDF report as a reader gets it: rendered with WeasyPrint and read back with pypdf.

Rendering the bundled example takes seconds, so it is rendered once per module and shared;
every render keeps its chart cache in a temporary folder, never in ``~/.cache``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from assessment.loading import load_assessment
from generator.chart_specs import Chart
from generator.cli import cli
from generator.engine import OutputRefused
from generator.figures import chart_specs
from generator.pages import ReportContext, collect_notes
from generator.pdf import (
    INSTALL_HINT,
    PdfReport,
    check_pdf_output,
    contrast,
    print_colours,
    render_report_html,
    write_pdf,
)
from generator.site import prepare

from .conftest import ACME, ROOT, WriteProject

HOSTILE = "<b>bold</b> [x](javascript:alert(1))"
TOC_LINE = re.compile(r"^\s*(\S.*?)\s{3,}(\d+)\s*$")


def squash(text: str) -> str:
    """Text with every run of whitespace as one space (lines wrap anywhere in a PDF)."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Rendered:
    path: Path
    reader: pypdf.PdfReader
    pages: list[str]

    @property
    def text(self) -> str:
        return squash(" ".join(self.pages))

    def outline(self) -> dict[str, int]:
        """Bookmark title -> page number (1-based) of the top-level headings."""
        entries = {}
        for entry in self.reader.outline:
            if not isinstance(entry, list):
                entries[entry.title] = self.reader.get_destination_page_number(entry) + 1
        return entries


def read(path: Path) -> Rendered:
    reader = pypdf.PdfReader(path)
    return Rendered(path, reader, [page.extract_text() for page in reader.pages])


@pytest.fixture(scope="module")
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CXMATURITY_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="module")
def acme_report(chart_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> PdfReport:
    return write_pdf(ACME, tmp_path_factory.mktemp("pdf") / "acme.pdf")


@pytest.fixture(scope="module")
def acme_pdf(acme_report: PdfReport) -> Rendered:
    return read(acme_report.out)


# The bundled example ------------------------------------------------------------------------


def test_page_count_is_sane_and_reported(acme_report: PdfReport, acme_pdf: Rendered) -> None:
    assert acme_report.pages == len(acme_pdf.reader.pages)
    assert 20 <= acme_report.pages <= 60
    assert acme_pdf.path.read_bytes().startswith(b"%PDF-")


def test_cover_names_client_round_and_date(acme_pdf: Rendered) -> None:
    cover = squash(acme_pdf.pages[0])
    for expected in ("Acme Outdoor Co.", "Round 2026-q4", "12 November 2026"):
        assert expected in cover
    assert "Page 1 of" not in cover  # the cover has no header or footer


def test_every_other_page_is_numbered_with_client_and_round(acme_pdf: Rendered) -> None:
    total = len(acme_pdf.pages)
    for number, text in enumerate(acme_pdf.pages[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert "Acme Outdoor Co. · Round 2026-q4" in text


def test_contents_give_the_page_each_section_starts_on(acme_pdf: Rendered) -> None:
    assessment = load_assessment(ACME)
    layout = acme_pdf.reader.pages[1].extract_text(extraction_mode="layout")
    printed = {}
    for line in layout.splitlines():
        match = TOC_LINE.match(line)
        if match and not line.strip().startswith("Page "):
            printed[match.group(1)] = int(match.group(2))
    expected = [
        "Executive summary",
        "Tune-up plan",
        "Teams",
        "Leaders and front line",
        "Progress",
        *(d.title for d in assessment.bank.dimensions),
        "Appendix: methodology",
    ]
    assert list(printed) == expected
    headings = acme_pdf.outline()
    for title, page in printed.items():
        assert headings[title] == page, title
        assert title in squash(acme_pdf.pages[page - 1]), title
    assert list(printed.values()) == sorted(printed.values())


def test_every_dimension_and_question_is_in_the_detail(acme_pdf: Rendered) -> None:
    text = acme_pdf.text
    for dimension in load_assessment(ACME).bank.dimensions:
        assert dimension.title in text
        for question in dimension.questions:
            assert squash(question.text) in text, question.key


def test_every_chart_is_printed(acme_report: PdfReport, acme_pdf: Rendered) -> None:
    assessment, results, _ = prepare(ACME)
    specs = chart_specs(assessment, results)
    assert acme_report.charts == len(specs)
    for spec in specs:  # chart text stays text, so each chart's title can be found
        assert spec.title in acme_pdf.text, spec.name


def test_summary_lists_the_five_first_tune_ups(acme_pdf: Rendered) -> None:
    _, _, plan = prepare(ACME)
    headings = acme_pdf.outline()
    summary = squash(
        " ".join(acme_pdf.pages[headings["Executive summary"] - 1 : headings["Tune-up plan"] - 1])
    )
    assert "Five things to do first" in summary
    for item in plan.items[:5]:
        assert item.kind == "tune-up"
        assert item.title in summary


def test_notes_are_shown_and_respondents_are_not(acme_pdf: Rendered) -> None:
    assessment = load_assessment(ACME)
    assert not assessment.settings.show_respondents
    sheets = assessment.round().sheets
    notes = [a.note for s in sheets for a in s.answers.values() if a.note]
    assert notes
    for note in notes:
        assert squash(note) in acme_pdf.text
    words = set(re.findall(r"\w+", acme_pdf.text))
    assert not {s.respondent for s in sheets} & words


def test_methodology_appendix_has_the_sites_sections(acme_pdf: Rendered) -> None:
    start = acme_pdf.outline()["Appendix: methodology"]
    appendix = squash(" ".join(acme_pdf.pages[start - 1 :]))
    site = (ROOT / "site_templates" / "methodology.md.j2").read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", site, re.MULTILINE)
    assert len(sections) >= 5
    for section in sections:
        assert section in appendix


def test_the_same_inputs_give_the_same_bytes(acme_pdf: Rendered, tmp_path: Path) -> None:
    again = write_pdf(ACME, tmp_path / "again.pdf")
    assert again.charts_rendered == 0  # the second time, every chart comes from the cache
    assert again.out.read_bytes() == acme_pdf.path.read_bytes()
    metadata = acme_pdf.reader.metadata
    assert metadata is not None
    assert metadata["/CreationDate"] == "D:20261112000000Z"
    assert metadata["/ModDate"] == "D:20261112000000Z"


# Safety, privacy, the command line ---------------------------------------------------------

SMALL_PROJECT = {
    "assessment.yml": """\
        client: "Evil <script>alert(1)</script> & Co"
        bank: bank.yml
        target: 80
        date: 2026-03-01
        branding: {primary: "#123456", accent: amber}
        """,
    **{
        f"answers/{name}.yml": f"""\
            respondent: {name}
            team: Main
            answers:
              alpha.one: {{answer: {value}, note: "{HOSTILE}"}}
              alpha.two: partly
              beta.three: [chat]
            """
        for name, value in (("xavier", 2), ("yolanda", 3), ("zacharias", 5))
    },
    "answers/solo.yml": """\
        respondent: walter
        team: Tinyteam
        answers:
          alpha.one: 1
        """,
}


def test_the_command_writes_text_from_people_literally_and_hides_small_teams(
    write_project: WriteProject, chart_cache: Path
) -> None:
    project = write_project(SMALL_PROJECT)
    result = CliRunner().invoke(cli, ["pdf", str(project)])
    assert result.exit_code == 0, result.output
    out = project / "report.pdf"
    assert re.fullmatch(rf"Wrote {re.escape(str(out))}: \d+ pages, .*\n", result.output)
    assert not [p.name for p in project.iterdir() if p.name.endswith(".tmp")]
    rendered = read(out)
    text = rendered.text
    assert text.count(HOSTILE) == 3
    assert "Evil <script>alert(1)</" in squash(rendered.pages[0])  # wrapped before "script>"
    assert "Tinyteam" not in text  # one respondent: below min_group_size
    for name in ("xavier", "yolanda", "zacharias", "walter"):
        assert name not in text
    catalog = rendered.reader.trailer["/Root"]
    assert "/OpenAction" not in catalog and "/AA" not in catalog
    assert "/JavaScript" not in (catalog.get("/Names") or {})
    for page in rendered.reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert action.get("/S") != "/JavaScript"
            assert "javascript" not in str(action.get("/URI", "")).lower()


def test_html_escapes_people_text_and_renders_bank_markdown(write_project: WriteProject) -> None:
    project = write_project(SMALL_PROJECT)
    assessment, results, plan = prepare(project)
    charts = {
        spec.name: Chart(spec.name, '<svg xmlns="http://www.w3.org/2000/svg" width="72pt"/>', "x")
        for spec in chart_specs(assessment, results)
    }
    notes = collect_notes(assessment, assessment.round())
    html = render_report_html(ReportContext(assessment, results, plan, charts, notes, None))
    assert "&lt;b&gt;bold&lt;/b&gt; [x](javascript:alert(1))" in html
    assert "<b>bold" not in html and "<script>" not in html
    assert 'href="javascript' not in html
    assert html.count("data:image/svg+xml;base64,") == len(charts)
    assert 'style="width: 17.3mm"' in html  # 72 pt drawn, printed at 68%
    assert "<p>Starting out.</p>" in html  # a level description: bank Markdown as HTML


@pytest.mark.parametrize("colour", ["teal", "amber", "white", "yellow", "#123456", "#fafafa"])
def test_branding_colours_stay_readable(colour: str) -> None:
    colours = print_colours(colour, "amber")
    assert re.fullmatch(r"#[0-9a-f]{6}", colours["primary"])
    assert contrast(colours["primary"], colours["on_primary"]) >= 3
    assert contrast(colours["primary_text"], "#ffffff") >= 4.5


def test_material_names_map_to_materials_colours() -> None:
    assert print_colours("indigo", "amber")["primary"] == "#4051b5"
    assert print_colours("teal", "amber")["on_primary"] == "#ffffff"
    assert print_colours("amber", "amber")["on_primary"] == "#1f1f1f"


def test_only_a_pdf_cxmaturity_wrote_is_replaced(acme_pdf: Rendered, tmp_path: Path) -> None:
    check_pdf_output(acme_pdf.path)  # ours: may be replaced
    check_pdf_output(tmp_path / "new.pdf")  # nothing there yet
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.7\n% someone else's\n")
    with pytest.raises(OutputRefused, match="not a PDF written by cxmaturity"):
        check_pdf_output(other)
    with pytest.raises(OutputRefused, match="is not a file"):
        check_pdf_output(tmp_path)


def test_the_command_refuses_to_replace_another_file(
    write_project: WriteProject, chart_cache: Path
) -> None:
    project = write_project(SMALL_PROJECT)
    other = project / "notes.pdf"
    other.write_text("someone's notes", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pdf", str(project), "--out", str(other)])
    assert result.exit_code == 2
    assert "not a PDF written by cxmaturity" in result.output
    assert other.read_text(encoding="utf-8") == "someone's notes"


def test_an_unknown_round_is_a_user_error(write_project: WriteProject, tmp_path: Path) -> None:
    project = write_project(SMALL_PROJECT)
    result = CliRunner().invoke(
        cli, ["pdf", str(project), "--round", "nope", "--out", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2
    assert "no round 'nope'" in result.output
    assert "Traceback" not in result.output


def test_without_weasyprint_the_message_says_what_to_install(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes `import weasyprint` fail
    project = write_project(SMALL_PROJECT)
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["pdf", str(project), "--out", str(out)])
    assert result.exit_code == 1
    assert INSTALL_HINT in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
