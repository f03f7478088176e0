// Lab module: see docs/ARCHITECTURE.md.
