"""Tests of helpers.check: claims found in short texts written for the tests, and their verdicts."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import check, paths
from helpers.check import COLUMNS, check_article, evaluate_against_seed_claims, main, read_article


def rows_of(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Return the rows of one kind."""
    return frame[frame["kind"] == kind]


# ---------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------


def test_empty_text_is_refused(tables):
    """Empty or blank text raises ValueError saying there is nothing to check."""
    with pytest.raises(ValueError, match="empty"):
        check_article("   \n ", tables=tables)


def test_binary_text_is_refused(tables):
    """Text with NUL bytes raises ValueError naming it binary."""
    with pytest.raises(ValueError, match="binary"):
        check_article("Rockets\x00hit", tables=tables)


def test_unreadable_published_date_is_refused(tables):
    """A publication date that is not YYYY-MM-DD raises ValueError quoting it."""
    with pytest.raises(ValueError, match="30/12/2019"):
        check_article("Rockets hit K1.", published="30/12/2019", tables=tables)


def test_file_in_an_unreadable_encoding_is_refused(tmp_path):
    """A file that is not UTF-8 raises ValueError naming the encoding problem."""
    path = tmp_path / "latin1.txt"
    path.write_bytes("Kata\xefb Hezbollah caf\xe9".encode("latin-1"))
    with pytest.raises(ValueError, match="UTF-8"):
        read_article(path)


def test_curly_quotes_and_utf8_bom_are_read(tmp_path):
    """A UTF-8 file with a byte-order mark is read without the mark."""
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffKata\u2019ib Hezbollah.".encode())
    assert read_article(path) == "Kata\u2019ib Hezbollah."


def test_result_has_exactly_the_documented_columns(tables):
    """The frame has the columns sentence, span, kind, value, matches, verdict, note, in order."""
    frame = check_article("Rockets hit K1 on 27 December 2019.", "2019-12-28", tables)
    assert list(frame.columns) == COLUMNS
    assert set(frame["verdict"]) <= set(check.VERDICTS)


def test_sentences_split_outside_quotes_and_after_abbreviations():
    """Sentences are not cut inside a quotation or after 'U.S.'."""
    parts = [s for _, s in check.split_sentences('The U.S. said "Stop. Now." Iraq objected.')]
    assert parts == ['The U.S. said "Stop. Now."', "Iraq objected."]


# ---------------------------------------------------------------------------
# Counts
# ---------------------------------------------------------------------------


def test_count_inside_the_claims_range_is_consistent(tables):
    """'At least 25 fighters killed' in the strikes of 29 December is within the claims' range."""
    text = "US jets struck Kataib Hezbollah on 29 December 2019. At least 25 fighters were killed in the strikes."
    counts = rows_of(check_article(text, "2019-12-30", tables), "count")
    assert counts["verdict"].tolist() == ["consistent"]
    assert counts["value"].iloc[0] == {"measure": "killed", "low": 25, "best": 25, "high": None}
    assert "events:strike_iraq_1" in counts["matches"].iloc[0]
    assert "casualties:cas_017" in counts["matches"].iloc[0]


def test_count_outside_the_claims_range_differs_and_names_the_claimants(tables):
    """Two wounded US and Iraqi troops at K1 is below the data's lowest claim (six), and the note says who said six."""
    text = "The rocket attack on K1 near Kirkuk on 27 December 2019 wounded two US and Iraqi troops."
    counts = rows_of(check_article(text, "2019-12-30", tables), "count")
    assert counts["verdict"].tolist() == ["differs"]
    assert "cas_008" in counts["note"].iloc[0] and "bostonglobe_20200206_nyt" in counts["note"].iloc[0]


def test_calibre_is_not_a_count(tables):
    """'107 mm' and '107mm' are calibres: only the number of rockets is counted."""
    text = "About 18 107mm rockets and some 107 mm shells struck Camp Taji on 11 March 2020."
    counts = rows_of(check_article(text, "2020-03-12", tables), "count")
    assert counts["span"].tolist() == ["About 18 107mm rockets"] or counts["span"].tolist() == ["About 18"]
    assert counts["value"].iloc[0]["best"] == 18


def test_number_in_a_date_is_not_a_count(tables):
    """The 27 of '27 December' and the year are dates, not counts of rockets."""
    text = "On 27 December 2019 rockets hit K1."
    frame = check_article(text, "2019-12-30", tables)
    assert rows_of(frame, "count").empty
    assert rows_of(frame, "date")["value"].tolist() == ["2019-12-27"]


def test_a_dozen_is_exact_but_dozens_is_open(tables):
    """'a dozen' reads 12/12/12 and 'dozens' 12/12/open; both differ from the six wounded at K1 held by others."""
    text = (
        "The rockets fired at K1 near Kirkuk on 27 December 2019 wounded a dozen US and Iraqi troops. "
        "Another report said the rockets fired at K1 wounded dozens of US and Iraqi troops."
    )
    counts = rows_of(check_article(text, "2019-12-30", tables, source_id="seed"), "count")
    values = counts["value"].tolist()
    assert [(v["low"], v["best"], v["high"]) for v in values] == [(12, 12, 12), (12, 12, None)]
    assert counts["verdict"].tolist() == ["differs", "differs"]


def test_number_of_targets_is_counted_from_the_strike_rows(tables):
    """Five targets, three in Iraq and two in Syria, match the five strike rows of 29 December."""
    text = "US jets struck five targets of Kataib Hezbollah on 29 December 2019. Three targets were in Iraq and two in Syria."
    counts = rows_of(check_article(text, "2019-12-30", tables), "count")
    assert counts["verdict"].tolist() == ["consistent"] * 3
    assert [v["best"] for v in counts["value"]] == [5, 3, 2]


def test_rocket_count_without_a_munitions_table_is_not_in_data_but_linked(tables):
    """Without munitions.csv, a number of rockets at K1 is linked to the attack but has no figure to meet."""
    without = dataclasses.replace(tables, munitions=None)
    counts = rows_of(check_article("Thirty rockets hit K1 on 27 December 2019.", "2019-12-30", without), "count")
    assert counts["verdict"].tolist() == ["not_in_data"]
    assert counts["matches"].iloc[0] == ["events:k1_rocket_attack"]


def test_munitions_table_is_used_when_present(tables):
    """With a munitions table, a rocket count is checked against its claims."""
    munitions = pd.DataFrame(
        [
            {"claim_id": "mun_1", "event_id": "k1_rocket_attack", "weapon": "rocket", "calibre_or_type": "107 mm", "measure": "fired",
             "covers": "event", "low": 30, "best": 31, "high": 31, "as_reported": "Thirty-one", "claimant": "us_dod", "source_id": "x",
             "reported_on": None},
        ]
    )  # fmt: skip
    extended = dataclasses.replace(tables, munitions=munitions)
    counts = rows_of(check_article("Twenty rockets hit K1 on 27 December 2019.", "2019-12-30", extended), "count")
    assert counts["verdict"].tolist() == ["differs"]
    assert "munitions:mun_1" in counts["matches"].iloc[0]
    counts = rows_of(check_article("Thirty rockets hit K1 on 27 December 2019.", "2019-12-30", extended), "count")
    assert counts["verdict"].tolist() == ["consistent"]


def test_a_rocket_count_beyond_every_claim_differs_on_the_committed_data(tables):
    """Fifty rockets at K1 lies outside every count in munitions.csv: differs, with the claims listed."""
    counts = rows_of(check_article("Fifty rockets hit K1 on 27 December 2019.", "2019-12-30", tables), "count")
    assert counts["verdict"].tolist() == ["differs"]
    assert any(m.startswith("munitions:") for m in counts["matches"].iloc[0])


def test_troop_number_is_found_in_a_deployment_statement(tables):
    """'14,000 troops since May' is the Pentagon figure held with the deployment of 11 October."""
    counts = rows_of(check_article("The US has moved 14,000 troops to the region since May.", "2019-12-30", tables), "count")
    assert counts["verdict"].tolist() == ["consistent"]
    assert "events:deploy_saudi_3000" in counts["matches"].iloc[0]


def test_own_source_cannot_confirm_its_own_count(tables):
    """A report's own recorded claim is listed but does not make its count consistent."""
    text = "Rockets hit K1 near Kirkuk on 27 December 2019 and wounded dozens of Iraqi and American troops."
    counts = rows_of(check_article(text, "2019-12-30", tables, source_id="seed"), "count")
    assert counts["verdict"].tolist() == ["differs"]
    assert "casualties:cas_007" in counts["matches"].iloc[0]
    assert "recorded from this report" in counts["note"].iloc[0]


# ---------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------


def test_weekday_is_resolved_against_the_publication_date(tables):
    """'on Sunday' in a report of Monday 30 December 2019 is 29 December, the day of the strikes."""
    dates = rows_of(check_article("US jets struck Kataib Hezbollah on Sunday.", "2019-12-30", tables), "date")
    assert dates["value"].tolist() == ["2019-12-29"]
    assert dates["verdict"].tolist() == ["consistent"]


def test_weekday_without_publication_date_is_ambiguous(tables):
    """A weekday cannot be dated without the publication date: ambiguous, never consistent."""
    dates = rows_of(check_article("US jets struck Kataib Hezbollah on Sunday.", None, tables), "date")
    assert dates["verdict"].tolist() == ["ambiguous"]


def test_wrong_day_differs(tables):
    """Dating the K1 attack to 25 December differs from the data's 27 December."""
    dates = rows_of(check_article("Rockets hit K1 near Kirkuk on Dec. 25, 2019.", "2019-12-30", tables), "date")
    assert dates["verdict"].tolist() == ["differs"]
    assert "2019-12-27" in dates["note"].iloc[0]


def test_yesterday_is_the_day_before_publication(tables):
    """'yesterday' in a report of 28 December 2019 is 27 December, the day of the K1 attack."""
    dates = rows_of(check_article("Rockets hit K1 yesterday.", "2019-12-28", tables), "date")
    assert dates["value"].tolist() == ["2019-12-27"]
    assert dates["verdict"].tolist() == ["consistent"]


def test_eastern_time_is_converted_to_utc(tables):
    """5:30 p.m. ET on 2 January 2020 is 22:30 UTC, the Baghdad airport strike of 01:30 on 3 January local."""
    text = "The US drone strike at Baghdad airport came at 5:30 p.m. ET on January 2, 2020."
    frame = check_article(text, "2020-01-03", tables)
    times = rows_of(frame, "time")
    assert times["value"].tolist() == ["2020-01-02T22:30Z"]
    assert times["verdict"].tolist() == ["consistent"]
    assert rows_of(frame, "date")["verdict"].tolist() == ["consistent"]


def test_est_near_midnight_falls_on_the_next_day_in_baghdad(tables):
    """11:30 p.m. EST on 26 December is 07:30 on 27 December in Baghdad: the date and time agree."""
    events = tables.events.copy()
    events.loc[events["event_id"] == "k1_rocket_attack", "time_local"] = "07:30"
    moved = dataclasses.replace(tables, events=events)
    frame = check_article("Rockets hit K1 near Kirkuk at 11:30 p.m. EST on December 26, 2019.", "2019-12-30", moved)
    assert rows_of(frame, "time")["value"].tolist() == ["2019-12-27T04:30Z"]
    assert rows_of(frame, "time")["verdict"].tolist() == ["consistent"]
    date_row = rows_of(frame, "date")
    assert date_row["verdict"].tolist() == ["consistent"]
    assert "2019-12-27 local time" in date_row["note"].iloc[0]


def test_clock_time_read_as_baghdad_time_hours_off_differs(tables):
    """16:20 Baghdad time is three hours from the data's 19:20 (+03:00) for the K1 attack."""
    text = "Rockets hit K1 at 16:20 Baghdad time on 27 December 2019."
    times = rows_of(check_article(text, "2019-12-30", tables), "time")
    assert times["value"].tolist() == ["2019-12-27T13:20Z"]
    assert times["verdict"].tolist() == ["differs"]


# ---------------------------------------------------------------------------
# Places and actors
# ---------------------------------------------------------------------------


def test_place_alias_is_linked_to_the_site_and_event(tables):
    """'al-Qaim' is the site al_qaim, near which the strikes of 29 December are placed."""
    places = rows_of(check_article("US jets struck militia sites near al-Qaim on 29 December 2019.", "2019-12-30", tables), "place")
    assert places["verdict"].tolist() == ["consistent"]
    assert places["matches"].iloc[0][:2] == ["sites:al_qaim", "events:strike_iraq_1"]


def test_wrong_place_for_an_event_differs(tables):
    """Placing the strikes of 29 December near Kirkuk differs from the data's al-Qaim."""
    places = rows_of(check_article("US jets struck Kataib Hezbollah sites near Kirkuk on 29 December 2019.", "2019-12-30", tables), "place")
    assert places["verdict"].tolist() == ["differs"]


def test_curly_apostrophe_spelling_is_the_same_actor(tables):
    """Kata\u2019ib Hezbollah with a curly apostrophe is the actor kh."""
    actors = rows_of(check_article("Kata\u2019ib Hezbollah denied any role.", None, tables), "actor")
    assert actors["value"].tolist() == ["kh"]
    assert actors["span"].tolist() == ["Kata\u2019ib Hezbollah"]


def test_lower_case_us_pronoun_is_not_the_united_states(tables):
    """The pronoun 'us' is not read as the alias US."""
    actors = rows_of(check_article("Let us wait for the Pentagon.", None, tables), "actor")
    assert actors["value"].tolist() == ["us_dod"]


# ---------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------


def test_quote_found_word_for_word_is_consistent(tables):
    """Hoffman's 'precision defensive strikes' is found in his statement of 29 December."""
    text = "Pentagon spokesman Jonathan Hoffman said the US had carried out \u201cprecision defensive strikes\u201d on the group."
    quotes = rows_of(check_article(text, "2019-12-30", tables), "quote")
    assert quotes["verdict"].tolist() == ["consistent"]
    assert quotes["matches"].iloc[0] == ["reactions:rx_026"]


def test_quote_in_other_words_differs_and_shows_the_data_wording(tables):
    """Mousavi's 'clear instance of terrorism' differs from the held 'clear example of terrorism'."""
    text = "Iranian Foreign Ministry spokesman Abbas Mousavi called the strikes \u201ca clear instance of terrorism.\u201d"
    quotes = rows_of(check_article(text, "2019-12-30", tables), "quote")
    assert quotes["verdict"].tolist() == ["differs"]
    assert quotes["matches"].iloc[0] == ["reactions:rx_034"]
    assert "clear example of terrorism" in quotes["note"].iloc[0]


def test_quote_nobody_said_is_not_in_data(tables):
    """Words no statement holds are not_in_data."""
    text = "Abbas Mousavi said: \u201cWe will plant olive trees in every square.\u201d"
    quotes = rows_of(check_article(text, "2019-12-30", tables), "quote")
    assert quotes["verdict"].tolist() == ["not_in_data"]


def test_reported_speech_is_linked_to_the_speaker_but_never_consistent(tables):
    """Words reported without quotation marks are linked to the speaker's statements as ambiguous."""
    text = "Israeli Foreign Minister Israel Katz said the strikes were a turning point."
    quotes = rows_of(check_article(text, "2019-12-30", tables), "quote")
    assert quotes["verdict"].tolist() == ["ambiguous"]
    assert "reactions:rx_057" in quotes["matches"].iloc[0]


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def test_command_prints_json_rows(tmp_path, capsys):
    """check-article --json prints a JSON list of objects with the documented keys."""
    path = tmp_path / "report.txt"
    path.write_text("Rockets hit K1 on 27 December 2019.", encoding="utf-8")
    assert main([str(path), "--published", "2019-12-30", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(list(r) == COLUMNS for r in rows)


def test_command_reports_bad_input_on_stderr_with_exit_code_2(tmp_path, capsys):
    """An empty file prints 'check-article: ...' to stderr and returns 2."""
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    assert main([str(path)]) == 2
    assert capsys.readouterr().err.startswith("check-article: ")


def test_command_rejects_a_bad_publication_date(tmp_path, capsys):
    """--published in another format is an error with exit code 2."""
    path = tmp_path / "report.txt"
    path.write_text("Rockets hit K1.", encoding="utf-8")
    assert main([str(path), "--published", "yesterday"]) == 2
    assert "publication date" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# The seed article
# ---------------------------------------------------------------------------


def _seed_file() -> Path | None:
    folder = paths.SEED_DIR
    files = sorted(folder.glob("000_*.txt")) if folder.is_dir() else []
    return files[0] if files else None


@pytest.mark.skipif(_seed_file() is None, reason="seed article not present (set K1_SEED_DIR)")
def test_seed_claims_are_found_and_linked_without_wrong_consistent_links(tables):
    """At least 25 of the 35 hand-coded seed claims are found and linked, none wrongly marked consistent."""
    text = read_article(_seed_file())
    figures, per_claim = evaluate_against_seed_claims(text, "2019-12-30", tables)
    assert figures["claims"] == 35
    assert figures["found"] >= 25, per_claim[~per_claim["found"]][["claim_id", "refers_to"]].to_string()
    assert figures["wrong_links"] == 0
