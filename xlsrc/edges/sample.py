"""The bundled example: a tracker for CON_22889 and the contract events it assumes."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from xlsrc.edges.tracker_csv import read_tracker_csv
from xlsrc.model.entry import RawRow


@dataclass(frozen=True)
class Sample:
    decisions: list[dict[str, object]]  # as a terms file's [[decisions]], in order
    tracker_csv: Path
    progress: dict[str, Path]

    def rows(self) -> list[RawRow]:
        return read_tracker_csv(self.tracker_csv)

    def progress_rows(self, name: str) -> list[dict[str, str]]:
        with self.progress[name].open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))


def sample_dir() -> Path:
    return Path(str(resources.files("xlsrc.edges.sample_data").joinpath("sample")))


def load_sample() -> Sample:
    folder = sample_dir()
    manifest = tomllib.loads((folder / "sample.toml").read_text(encoding="utf-8"))
    return Sample(
        decisions=list(manifest.get("decisions", [])),
        tracker_csv=folder / manifest["tracker"],
        progress={k: folder / v for k, v in manifest.get("progress", {}).items()},
    )
