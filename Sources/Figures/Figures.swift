// Figures module: see docs/ARCHITECTURE.md.
