"""Generate the sample export of the fictional municipality "Beispielstadt".

Run from the project root:  python sample_data/generate.py [FOLDER]

Writes (into FOLDER, default ``sample_data/``, e.g. a temporary folder to
``cmp`` the files against the shipped ones) ``sample_data/beispielstadt.xlsx`` and ``sample_data/beispielstadt.csv``
(the survey of autumn 2026) and ``sample_data/beispielstadt_2025.xlsx`` (the
same administration a year earlier, so that the demo shows a Verlauf)
(semicolon-separated, UTF-8 with BOM, as German Excel saves it) with the same
answers: 177 respondents in 9 departments of varied size, one below the
minimum group size, plausible differences between departments and
dimensions, and a few blank cells; the 2026 survey has a column of open
comments (Anmerkungen). Deterministic (fixed seed). The sample is a survey
of instrument version 1.0, pinned here (:data:`SAMPLE_VERSION`): the default
version of new surveys changed to 2.0, the sample's answers did not.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from learn_core.instrument import DIMENSION_KEYS, instrument_version  # noqa: E402

SEED = 20240902
#: The instrument version the sample's answers are of (not the default of new surveys).
SAMPLE_VERSION = "1.0"

#: department → (respondents, latent mean per dimension on the 1–5 scale:
#: motivation, führung, kompetenz, lernerfolg)
DEPARTMENTS: dict[str, tuple[int, tuple[float, float, float, float]]] = {
    "Bürgeramt": (34, (3.6, 3.1, 3.2, 2.9)),
    "Bauamt": (26, (3.1, 2.6, 3.3, 2.7)),
    "Jugendamt": (24, (3.9, 3.6, 3.4, 3.2)),
    "Ordnungsamt": (20, (3.0, 2.9, 2.8, 2.5)),
    "Kämmerei": (18, (3.2, 3.3, 3.6, 3.1)),
    "IT und Digitalisierung": (22, (4.1, 3.7, 3.9, 3.6)),
    "Personal und Organisation": (16, (3.7, 3.8, 3.5, 3.3)),
    "Kultur und Bildung": (14, (3.8, 3.4, 3.0, 3.0)),
    "Stabsstelle Gleichstellung": (3, (4.0, 4.0, 3.5, 3.5)),
}


#: The same administration a year earlier (autumn 2025), before the Kaizen
#: measures: fewer respondents in places, leadership and learning outcomes
#: lower where the departments started working on them (Bauamt, Bürgeramt,
#: Ordnungsamt, IT), the rest about the same.
DEPARTMENTS_2025: dict[str, tuple[int, tuple[float, float, float, float]]] = {
    "Bürgeramt": (31, (3.5, 2.8, 3.1, 2.6)),
    "Bauamt": (24, (3.0, 2.2, 3.2, 2.4)),
    "Jugendamt": (25, (3.9, 3.5, 3.4, 3.1)),
    "Ordnungsamt": (19, (2.9, 2.6, 2.7, 2.2)),
    "Kämmerei": (17, (3.2, 3.2, 3.5, 3.0)),
    "IT und Digitalisierung": (20, (4.0, 3.4, 3.7, 3.2)),
    "Personal und Organisation": (15, (3.6, 3.7, 3.5, 3.3)),
    "Kultur und Bildung": (12, (3.8, 3.4, 3.0, 3.0)),
    "Stabsstelle Gleichstellung": (3, (4.0, 3.8, 3.5, 3.4)),
}
SEED_2025 = 20231104

#: The free-text column of the 2026 survey: about a third of the respondents
#: wrote something (drawn with a generator of its own, so the answers stay
#: those of the sample without it). No names, no semicolons (the CSV).
COMMENT_HEADER = "Anmerkungen"
COMMENT_SEED = 20261101
COMMENTS = (
    "Mehr Zeit für Fortbildung wäre gut, im Alltag bleibt dafür kaum Luft.",
    "Die Einarbeitung neuer Kolleginnen und Kollegen sollte besser geplant werden.",
    "Ich wünsche mir mehr Rückmeldung von meiner Führungskraft.",
    "Fortbildungen werden genehmigt, aber die Vertretung ist nie geregelt.",
    "Das Wissen erfahrener Kollegen geht verloren, wenn sie in Rente gehen.",
    "Die digitale Akte hat vieles leichter gemacht, die Schulung dazu war zu kurz.",
    "Gute Stimmung im Team, wir helfen uns gegenseitig.",
    "Fehler werden bei uns offen besprochen, das finde ich gut.",
    "Neue Ideen versanden oft, weil niemand Zeit hat, sie umzusetzen.",
    "Mehr Austausch zwischen den Abteilungen wäre hilfreich.",
    "Die Ziele für das nächste Jahr sind mir nicht klar.",
    "Ich würde gern öfter bei anderen Ämtern hospitieren.",
    "Die Führungskräfte sollten selbst mehr Zeit für Weiterbildung bekommen.",
    "E-Learning ist gut, ersetzt aber keine Schulung vor Ort.",
    "Wir lernen viel voneinander, das wird aber nirgends festgehalten.",
    "Zu viele Besprechungen, zu wenig Zeit für die eigentliche Arbeit.",
    "Ich wünsche mir klarere Zuständigkeiten bei neuen Aufgaben.",
    "Die Mitarbeitergespräche finden zu selten statt.",
    "Gute Fortbildungsangebote, aber schwer zu finden im Intranet.",
    "Es wäre schön, wenn Verbesserungsvorschläge eine Rückmeldung bekämen.",
)


def sample_comments(n: int) -> list[str | None]:
    """A comment or None for each of ``n`` rows (about a third filled)."""
    rng = np.random.default_rng(COMMENT_SEED)
    return [str(COMMENTS[int(rng.integers(len(COMMENTS)))]) if rng.random() < 0.35 else None for _ in range(n)]


#: The 2026 survey also asked for the site and whether one leads staff
#: (drawn with a generator of their own, so the answers stay the same).
#: Every department works at one site; about one in eight respondents is a
#: manager, more often among those who rate leadership higher (managers tend
#: to see their own leadership more favourably – the gap the dashboard shows).
SITE_HEADER = "Standort"
SITES = {
    "Bürgeramt": "Rathaus", "Kämmerei": "Rathaus", "Personal und Organisation": "Rathaus",
    "Stabsstelle Gleichstellung": "Rathaus", "Kultur und Bildung": "Rathaus",
    "Bauamt": "Technisches Rathaus", "IT und Digitalisierung": "Technisches Rathaus",
    "Ordnungsamt": "Technisches Rathaus", "Jugendamt": "Haus der Familie",
}
ROLE_HEADER = "Führungskraft"
ROLE_SEED = 20261102
LEADER_SHARE = 0.12


def sample_roles(header: list[str], rows: list[list[object]]) -> list[str]:
    """„ja“ or „nein“ for each row: per department round(12 %) managers (at
    least one), drawn with weights that grow with the row's Führung answers."""
    rng = np.random.default_rng(ROLE_SEED)
    inst = instrument_version(SAMPLE_VERSION)
    cols = [header.index(it.id) for it in inst.items_of("fuehrung")]
    roles = ["nein"] * len(rows)
    for dept in SITES:
        members = [i for i, row in enumerate(rows) if row[1] == dept]
        if not members:
            continue
        answered = [[v for v in (rows[i][c] for c in cols) if v is not None] for i in members]
        weight = np.exp([1.2 * (float(np.mean(a)) if a else 3.0) for a in answered])
        take = max(1, round(LEADER_SHARE * len(members)))
        for i in rng.choice(members, size=take, replace=False, p=weight / weight.sum()):
            roles[int(i)] = "ja"
    return roles


def generate(seed: int = SEED, departments: dict | None = None) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the sample export (answers as ints, blanks as None)."""
    departments = DEPARTMENTS if departments is None else departments
    rng = np.random.default_rng(seed)
    inst = instrument_version(SAMPLE_VERSION)
    header = ["Lfd. Nr.", "Abteilung", *inst.item_ids]
    rows: list[list[object]] = []
    # item difficulty: some statements are harder to agree with than others
    difficulty = rng.normal(0.0, 0.25, size=len(inst.items))
    if seed != SEED:  # the same statements are as hard to agree with in every wave
        difficulty = np.random.default_rng(SEED).normal(0.0, 0.25, size=len(inst.items))
    for dept, (n, means) in departments.items():
        for _ in range(n):
            person = rng.normal(0.0, 0.45)  # general attitude of the person
            answers: list[object] = []
            for j, item in enumerate(inst.items):
                mu = means[DIMENSION_KEYS.index(item.dimension)] + person - difficulty[j]
                x = int(np.clip(np.rint(mu + rng.normal(0.0, 0.7)), 1, 5))
                if item.reverse:
                    x = 6 - x
                answers.append(None if rng.random() < 0.02 else x)
            rows.append([0, dept, *answers])
    order = rng.permutation(len(rows))  # as a survey tool exports: in order of arrival
    rows = [rows[i] for i in order]
    for i, row in enumerate(rows, start=1):
        row[0] = i
    return header, rows


def write_xlsx(path: Path, header: list[str], rows: list[list[object]],
               created: dt.datetime = dt.datetime(2026, 11, 1, 9, 0, 0)) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Antworten"
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    wb.properties.creator = "LEARN-Dashboard (Beispieldaten)"
    wb.properties.created = created
    wb.properties.modified = wb.properties.created
    wb.save(path)


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    lines = [";".join(header)]
    for row in rows:
        lines.append(";".join("" if v is None else str(v) for v in row))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


def main(folder: Path = ROOT) -> None:
    header, rows = generate()
    roles = sample_roles(header, rows)
    header = [*header[:2], SITE_HEADER, ROLE_HEADER, *header[2:], COMMENT_HEADER]  # the 2026 survey asked more
    rows = [[*row[:2], SITES[str(row[1])], role, *row[2:], text]
            for row, role, text in zip(rows, roles, sample_comments(len(rows)), strict=True)]
    write_xlsx(folder / "beispielstadt.xlsx", header, rows)
    write_csv(folder / "beispielstadt.csv", header, rows)
    print(f"{len(rows)} Antworten geschrieben nach {folder}")
    header, rows = generate(SEED_2025, DEPARTMENTS_2025)
    write_xlsx(folder / "beispielstadt_2025.xlsx", header, rows, dt.datetime(2025, 11, 3, 9, 0, 0))
    print(f"{len(rows)} Antworten der Befragung 2025 geschrieben nach {folder}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
