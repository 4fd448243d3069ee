"""`python -m samplegen [OUT]`: regenerate the committed sample (default data/sample)."""

from __future__ import annotations

import sys
from pathlib import Path

from . import generate

if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "data" / "sample"
    counts = generate(out)
    print(", ".join(f"{k}: {v:,}" for k, v in counts.items()))
