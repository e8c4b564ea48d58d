"""Write a slice of the real reference data (a few dozen occupations) for fast tests.

Every row is copied verbatim from the real files; only rows about other occupations are left
out, so loaders, indexes and alignment run on real text at a fraction of the cost.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

csv.field_size_limit(sys.maxsize)

CODES = {
    "51-4121.00",  # Welders, Cutters, Solderers, and Brazers
    "51-4122.00",  # Welding machine operators
    "53-3032.00",  # Heavy and Tractor-Trailer Truck Drivers
    "53-3033.00",  # Light Truck Drivers
    "53-3051.00",  # Bus Drivers, School
    "53-3052.00",  # Bus Drivers, Transit and Intercity
    "31-9092.00",  # Medical Assistants
    "31-1131.00",  # Nursing Assistants
    "31-1121.00",  # Home Health Aides
    "31-9097.00",  # Phlebotomists
    "43-6013.00",  # Medical Secretaries and Administrative Assistants
    "29-2061.00",  # Licensed Practical and Licensed Vocational Nurses
    "29-1141.00",  # Registered Nurses
    "15-1232.00",  # Computer User Support Specialists
    "15-1252.00",  # Software Developers
    "15-1212.00",  # Information Security Analysts
    "25-1194.00",  # Career/Technical Education Teachers, Postsecondary
    "25-2032.00",  # Career/Technical Education Teachers, Secondary School
    "47-2011.00",  # Boilermakers
    "47-2152.00",  # Plumbers, Pipefitters, and Steamfitters
    "47-2111.00",  # Electricians
    "51-4041.00",  # Machinists
    "35-2014.00",  # Cooks, Restaurant
    "13-2011.00",  # Accountants and Auditors
    "43-3031.00",  # Bookkeeping, Accounting, and Auditing Clerks
    "49-9021.00",  # HVAC mechanics
    "39-5012.00",  # Hairdressers, Hairstylists, and Cosmetologists
    "53-7051.00",  # Industrial Truck and Tractor Operators
}
SOCS = {c[:7] for c in CODES}


def _filter_tsv(src: Path, dst: Path, keep) -> None:  # type: ignore[no-untyped-def]
    with src.open(encoding="utf-8") as fin, dst.open("w", encoding="utf-8") as fout:
        header = fin.readline()
        fout.write(header)
        cols = header.rstrip("\n").split("\t")
        for line in fin:
            row = dict(zip(cols, line.rstrip("\n").split("\t"), strict=False))
            if keep(row):
                fout.write(line)


def _filter_csv(src: Path, dst: Path, keep) -> None:  # type: ignore[no-untyped-def]
    with (
        src.open(encoding="utf-8-sig", newline="") as fin,
        dst.open("w", encoding="utf-8", newline="") as fout,
    ):
        reader = csv.reader(fin)
        writer = csv.writer(fout, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        clean = [h.strip('="') for h in header]
        for row in reader:
            if keep(dict(zip(clean, [v.strip('="') for v in row], strict=False))):
                writer.writerow(row)


def write_slice(src: Path, dst: Path) -> Path:
    """Copy the rows about :data:`CODES` from the data folder ``src`` into ``dst``."""
    (dst / "onet").mkdir(parents=True, exist_ok=True)
    (dst / "esco").mkdir(exist_ok=True)
    (dst / "cip").mkdir(exist_ok=True)
    (dst / "bls").mkdir(exist_ok=True)
    onet_src, onet_dst = src / "onet", dst / "onet"
    by_code = [
        "Occupation Data.txt",
        "Alternate Titles.txt",
        "Sample of Reported Titles.txt",
        "Task Statements.txt",
        "Technology Skills.txt",
        "Tools Used.txt",
        "Skills.txt",
        "Knowledge.txt",
        "Tasks to DWAs.txt",
        "Job Zones.txt",
        "Education, Training, and Experience.txt",
        "Related Occupations.txt",
    ]
    for name in by_code:
        _filter_tsv(onet_src / name, onet_dst / name, lambda r: r.get("O*NET-SOC Code") in CODES)
    dwa_ids = set()
    with (onet_dst / "Tasks to DWAs.txt").open() as fh:
        next(fh)
        dwa_ids = {line.split("\t")[2] for line in fh}
    _filter_tsv(
        onet_src / "DWA Reference.txt", onet_dst / "DWA Reference.txt", lambda r: r["DWA ID"] in dwa_ids
    )
    for name in ("Read Me.txt", "Content Model Reference.txt"):
        shutil.copy(onet_src / name, onet_dst / name)

    esco_src, esco_dst = src / "esco", dst / "esco"
    uris: set[str] = set()
    with (esco_src / "esco_onet_crosswalk_v1_keys_via_ESCONET.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["O*NET Id"] in CODES:
                uris.add(row["ESCO or ISCO URI"])
    _filter_csv(
        esco_src / "esco_onet_crosswalk_v1_keys_via_ESCONET.csv",
        esco_dst / "esco_onet_crosswalk_v1_keys_via_ESCONET.csv",
        lambda r: r["O*NET Id"] in CODES,
    )
    _filter_csv(
        esco_src / "occupations_en.csv", esco_dst / "occupations_en.csv", lambda r: r["conceptUri"] in uris
    )
    skills: set[str] = set()
    with (esco_src / "occupationSkillRelations.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["occupationUri"] in uris and row["relationType"] == "essential":
                skills.add(row["skillUri"])
    _filter_csv(
        esco_src / "occupationSkillRelations.csv",
        esco_dst / "occupationSkillRelations.csv",
        lambda r: r["occupationUri"] in uris and r["skillUri"] in skills,
    )
    _filter_csv(esco_src / "skills_en.csv", esco_dst / "skills_en.csv", lambda r: r["conceptUri"] in skills)
    for name in ("broaderRelationsSkillPillar.csv", "skillGroups_en.csv", "checklist.chk"):
        shutil.copy(esco_src / name, esco_dst / name)

    cip_src, cip_dst = src / "cip", dst / "cip"
    cips: set[str] = set()
    with (cip_src / "CIP2020_SOC2018_Crosswalk_CIP-SOC.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            if row["SOC2018Code"] in SOCS:
                cips.add(row["CIP2020Code"])
    _filter_csv(
        cip_src / "CIP2020_SOC2018_Crosswalk_CIP-SOC.csv",
        cip_dst / "CIP2020_SOC2018_Crosswalk_CIP-SOC.csv",
        lambda r: r["CIP2020Code"] in cips,
    )
    _filter_csv(
        cip_src / "CIPCode2020.csv",
        cip_dst / "CIPCode2020.csv",
        lambda r: len(r["CIPCode"]) < 7 or r["CIPCode"] in cips,
    )
    titles_src, titles_dst = src / "titles", dst / "titles"
    if titles_src.is_dir():
        titles_dst.mkdir(exist_ok=True)

        def covers(code: str) -> bool:  # a detailed slice SOC, or a group ("47-21XX", "47-2150") over one
            code = code.strip()
            if code in SOCS:
                return True
            head = code.split("X", 1)[0] if "X" in code else (code[:6] if code.endswith("0") else "")
            return bool(head) and any(s.startswith(head) for s in SOCS)

        _filter_csv(
            titles_src / "census_2022_occupation_index.csv",
            titles_dst / "census_2022_occupation_index.csv",
            lambda r: covers(r["soc_2018"]),
        )
        _filter_csv(
            titles_src / "bls_soc_2018_direct_match_titles.csv",
            titles_dst / "bls_soc_2018_direct_match_titles.csv",
            lambda r: r["2018 SOC Code"] in SOCS,
        )
    for path in (src / "bls").iterdir():
        if path.suffix == ".csv" and path.name.startswith("oews_state"):
            _filter_csv(
                path, dst / "bls" / path.name, lambda r: r["OCC_CODE"] in SOCS or r["OCC_CODE"] == "00-0000"
            )
        elif path.suffix in (".csv", ".json"):
            shutil.copy(path, dst / "bls" / path.name)
    return dst
