"""A problem found in the data people edit: where it is, what is wrong, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["galat", "peringatan"]


@dataclass(kw_only=True, frozen=True, order=True)
class Problem:
    """One validation finding, worded in Indonesian for admins."""

    path: str
    line: int
    entry: str
    field: str
    message: str
    fix: str
    severity: Severity = "galat"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        who = f" [{self.entry}]" if self.entry else ""
        what = f" kolom '{self.field}':" if self.field else ""
        label = "PERINGATAN" if self.severity == "peringatan" else "GALAT"
        return f"{where}:{who}{what} {label}: {self.message} Cara memperbaiki: {self.fix}"

    @property
    def is_error(self) -> bool:
        return self.severity == "galat"
