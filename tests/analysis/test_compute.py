"""analyse_upload: the dashboard's way from a file (or a workshop's table) to an analysis."""

from __future__ import annotations

import pytest

from learn_core.analysis import NO_GROUPS, analyse, analyse_upload
from learn_core.display.images import favicon
from learn_core.reading import ReadError, read_survey
from learn_core.samples import SAMPLE_XLSX, sample_bytes
from tests.conftest import frame_of, full_row, survey_of


def test_bytes_give_the_same_analysis_as_read_and_analyse():
    direct = analyse(read_survey(SAMPLE_XLSX), 5).result.to_json()
    upload = analyse_upload(name="beispielstadt.xlsx", data=sample_bytes()).result.to_json()
    assert upload["organisation"] == direct["organisation"]
    assert upload["groups"] == direct["groups"] and upload["suppressed_groups"] == direct["suppressed_groups"]


def test_no_groups_drops_the_group_column():
    result = analyse_upload(name="beispielstadt.xlsx", data=sample_bytes(), group_column=NO_GROUPS).result.to_json()
    assert result["groups"] == {} and result["suppressed_groups"] == [] and result["group_column"] is None


def test_a_table_of_cells_is_analysed_like_a_file():
    frame = frame_of([full_row(v, "Bauhof") for v in (2, 3, 4, 5, 5)], "Abteilung")
    analysis = analyse_upload(name="Workshop", frame=frame, min_group_size=5)
    # (1 + 2 + 3 + 4 + 4) · 25 / 5 = 70
    assert analysis.organisation.dimensions["kompetenz"].score == pytest.approx(70.0)
    assert list(analysis.groups) == ["Bauhof"]


def test_errors_are_the_readers():
    with pytest.raises(ReadError):
        analyse_upload(name="kaputt.xlsx", data=b"PK\x03\x04 nothing")
    with pytest.raises(ValueError):
        analyse_upload(name="beispielstadt.xlsx", data=sample_bytes(), min_group_size=2)


def test_favicon_is_a_small_icon_drawn_in_code():
    icon = favicon()
    assert icon.size == (32, 32) and icon.mode == "RGBA"
    assert icon.getpixel((0, 0)) == (31, 95, 139, 255) and icon.getpixel((16, 24)) == (255, 255, 255, 255)


def test_favicon_png_is_the_same_icon_as_png():
    import io

    from PIL import Image

    from learn_core.display.images import favicon_png

    data = favicon_png()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(data)).convert("RGBA").tobytes() == favicon().tobytes()


def test_a_group_column_of_more_than_200_values_is_refused_in_both_languages():
    rows = [{**full_row(4), "Abteilung": f"Amt {i}"} for i in range(1001)]
    with pytest.raises(ReadError) as caught:
        analyse(survey_of(rows, "Abteilung"), 5)
    assert caught.value.code == "errors.analysis.too_many_groups"
    assert caught.value.message("de") == ("Die Gruppenspalte „Abteilung“ hat 1.001 verschiedene Werte; als Gruppen "
                                           "sind höchstens 200 möglich. Bitte eine andere Spalte wählen.")
    assert caught.value.message("en") == ("The group column “Abteilung” has 1,001 different values; at most 200 are "
                                           "possible as groups. Please choose another column.")
