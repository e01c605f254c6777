"""Direct-award CSV import: the two edubadges formats, and row-numbered errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcbadge.edubadges import (
    EMAIL_COLUMNS,
    EPPN_COLUMNS,
    CsvImportError,
    Recipient,
    parse_recipients_csv,
    read_recipients_csv,
)
from mcbadge.errors import InvalidInputError
from tests.conftest import reference_path

EPPN_HEADER = ";".join(EPPN_COLUMNS)
EMAIL_HEADER = ";".join(EMAIL_COLUMNS)


def test_reads_edubadges_sample_eppn_file_with_every_column() -> None:
    path = reference_path("edubadges", "misc", "sample_direct_award.csv")
    recipients = read_recipients_csv(path)
    assert [r.email for r in recipients] == [
        "john@example.org",
        "andrew@example.org",
        "mary@shachome.org",
        "peter@shachome.org",
    ]
    john = recipients[0]
    assert john == Recipient(
        email="john@example.org",
        eppn="123456789@example.org",
        narrative="Lorum ipsum dolor set amet.",
        evidence_url="https://evicence.url/",
        evidence_name="Thesis of John",
        evidence_description="Description of the evidence",
        grade_achieved="ECTS8",
    )
    # The last sample row has only the two required cells.
    assert recipients[3].eppn == "peter@shachome.org"
    assert recipients[3].narrative is None
    assert recipients[1].evidence_url == "https://evicence.url/"
    assert recipients[1].evidence_name is None


def test_reads_edubadges_sample_email_file_with_names() -> None:
    path = reference_path("edubadges", "misc", "sample_direct_award_email_only.csv")
    recipients = read_recipients_csv(path)
    assert len(recipients) == 4
    assert recipients[0].first_name == "John"
    assert recipients[0].surname == "Doe"
    assert recipients[0].eppn is None
    assert recipients[0].grade_achieved == "ECTS8"
    assert recipients[3] == Recipient(
        email="peter@shachome.org", first_name="Peter", surname="Parker"
    )


def test_sample_file_format_is_detected_and_conflicting_identifier_type_is_refused() -> None:
    path = reference_path("edubadges", "misc", "sample_direct_award_email_only.csv")
    with pytest.raises(CsvImportError) as info:
        read_recipients_csv(path, identifier_type="eppn")
    assert info.value.rows[0].line == 1
    assert info.value.rows[0].message == (
        "the header is the email format but identifier_type is eppn"
    )


def test_headerless_file_needs_identifier_type() -> None:
    text = "ana@uni.nl;s1@uni.nl\n"
    with pytest.raises(CsvImportError, match="no header row"):
        parse_recipients_csv(text)
    recipients = parse_recipients_csv(text, identifier_type="eppn")
    assert recipients == [Recipient(email="ana@uni.nl", eppn="s1@uni.nl")]


def test_every_bad_row_is_reported_with_its_line_number() -> None:
    text = "\n".join(
        [
            EPPN_HEADER,
            "ana@uni.nl;s1@uni.nl",
            "not-an-email;s2@uni.nl",
            "",  # blank lines are skipped but still counted
            "bob@uni.nl;",
            "carl@uni.nl;s3@uni.nl;;ftp//nope",
            "ana@uni.nl;s4@uni.nl",
            "dora@uni.nl;s1@UNI.nl",
            "eve@uni.nl;s5@uni.nl;a;https://e.nl/;b;c;8;surplus",
        ]
    )
    with pytest.raises(CsvImportError) as info:
        parse_recipients_csv(text, source="cohort.csv")
    rows = info.value.rows
    assert [(r.line, r.column) for r in rows] == [
        (3, "Recipient mailadres"),
        (5, "Recipient EPPN"),
        (6, "Evidence URL (optional)"),
        (7, "Recipient mailadres"),
        (8, "Recipient EPPN"),
        (9, None),
    ]
    assert "'not-an-email' is not an e-mail address" in rows[0].message
    assert "already on line 2" in rows[3].message
    assert "already on line 2" in rows[4].message
    assert "at most 7" in rows[5].message
    assert "cohort.csv" in str(info.value)
    assert info.value.code == "csv_invalid"
    assert isinstance(info.value, InvalidInputError)
    assert info.value.to_dict()["details"]["rows"][0] == {
        "line": 3,
        "column": "Recipient mailadres",
        "message": "'not-an-email' is not an e-mail address",
    }


def test_eppn_pattern_of_the_institution_is_enforced_case_insensitively() -> None:
    text = f"{EPPN_HEADER}\nana@uni.nl;S123@UNI.NL\nbob@uni.nl;bob@elsewhere.nl\n"
    with pytest.raises(CsvImportError) as info:
        parse_recipients_csv(text, eppn_pattern=r"s\d+@uni\.nl$")
    assert [r.line for r in info.value.rows] == [3]
    assert "eppn format" in info.value.rows[0].message


def test_quoted_cells_may_contain_the_separator_and_line_breaks() -> None:
    text = f'{EMAIL_HEADER}\nana@uni.nl;Ana;"de Vries";"Did well; very well\nreally"\nbob@uni.nl\n'
    recipients = parse_recipients_csv(text)
    assert recipients[0].surname == "de Vries"
    assert recipients[0].narrative == "Did well; very well\nreally"
    assert recipients[1] == Recipient(email="bob@uni.nl")


def test_line_numbers_count_physical_lines_after_a_multiline_cell() -> None:
    text = f'{EMAIL_HEADER}\nana@uni.nl;Ana;B;"two\nlines"\nbroken\n'
    with pytest.raises(CsvImportError) as info:
        parse_recipients_csv(text)
    assert [r.line for r in info.value.rows] == [4]


def test_excel_byte_order_mark_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_bytes(("\ufeff" + EPPN_HEADER + "\r\nana@uni.nl;s1@uni.nl\r\n").encode("utf-8"))
    assert read_recipients_csv(path) == [Recipient(email="ana@uni.nl", eppn="s1@uni.nl")]


def test_other_delimiter_can_be_chosen() -> None:
    text = EPPN_HEADER.replace(";", ",") + "\nana@uni.nl,s1@uni.nl\n"
    assert parse_recipients_csv(text, delimiter=",")[0].eppn == "s1@uni.nl"


def test_file_with_only_a_header_is_refused() -> None:
    with pytest.raises(CsvImportError, match="no recipient rows"):
        parse_recipients_csv(EPPN_HEADER + "\n")


def test_unknown_header_is_refused() -> None:
    with pytest.raises(CsvImportError, match="neither the eppn format"):
        parse_recipients_csv("Recipient mailadres;Student number\nana@uni.nl;123\n")


def test_missing_file_is_an_invalid_input_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="cannot read"):
        read_recipients_csv(tmp_path / "absent.csv")


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="identifier_type"):
        parse_recipients_csv("x", identifier_type="student")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="eppn_pattern"):
        parse_recipients_csv("x", eppn_pattern="(")
    with pytest.raises(InvalidInputError, match="delimiter"):
        parse_recipients_csv("x", delimiter=";;")


def test_recipient_wire_format_uses_edubadges_field_names() -> None:
    recipient = Recipient(
        email="ana@uni.nl",
        eppn="s1@uni.nl",
        first_name="Ana",
        surname="Andromeda",
        narrative="N",
        evidence_url="https://e.nl/",
        evidence_name="Thesis",
        evidence_description="D",
        grade_achieved="8.5",
    )
    assert recipient.to_wire("eppn") == {
        "recipient_email": "ana@uni.nl",
        "eppn": "s1@uni.nl",
        "first_name": "Ana",
        "surname": "Andromeda",
        "narrative": "N",
        "evidence_url": "https://e.nl/",
        "name": "Thesis",
        "description": "D",
        "grade_achieved": "8.5",
    }
    assert "eppn" not in recipient.to_wire("email")
