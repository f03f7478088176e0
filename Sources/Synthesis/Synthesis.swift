// Synthesis module: see docs/ARCHITECTURE.md.
