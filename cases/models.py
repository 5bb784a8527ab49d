"""Case vignettes (pages) and vignette attempts. The branching engine lives in ``engine.py``."""
