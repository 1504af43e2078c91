"""Evidence: archived captures of sources, link health, claim provenance, the tamper-evident log."""
