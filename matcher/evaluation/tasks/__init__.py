"""One module per task; each registers itself and its methods."""
