import sys
from pathlib import Path

# Measure this checkout: its src/ first, whatever else is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench.run import main

main()
