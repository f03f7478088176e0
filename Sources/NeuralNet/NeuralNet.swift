// NeuralNet module: see docs/ARCHITECTURE.md.
