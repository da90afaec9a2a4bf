"""Where the project's files are: every path the library uses is defined here, once."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = ROOT / "seeds" / "000_c4b6ae83c6418815.txt"  # the page, byte for byte as given
DATA_DIR = ROOT / "data"  # the curated tables
NOTEBOOK_DIR = ROOT / "notebooks"
MANIFEST = NOTEBOOK_DIR / "runs.yaml"  # the main job's runs
BUILD_DIR = ROOT / "build"  # where the main job writes, unless told otherwise (--build)
TEMPLATES = Path(__file__).parent / "runner" / "templates"  # index.html.j2; offline/: nbconvert
