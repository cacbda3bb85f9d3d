"""The table of docs/reliability.md from a run's figures: ``python -m faults.report FILE``.

``FILE`` is the JSON the fault suite writes when ``FAULTS_REPORT`` names it (one row per scenario).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def table(rows: list[dict]) -> str:
    lines = [
        "| scenario | expected | observed | lost | duplicated | seconds |",
        "|---|---|---|---|---|---|",
    ]
    for row in sorted(rows, key=lambda r: r["scenario"]):
        cells = [
            row["scenario"],
            row["expected"],
            row["observed"],
            row["lost"],
            row["duplicated"],
            row["seconds"],
        ]
        lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(json.loads(Path(sys.argv[1]).read_text())))
