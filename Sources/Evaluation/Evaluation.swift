// Evaluation module: see docs/ARCHITECTURE.md.
