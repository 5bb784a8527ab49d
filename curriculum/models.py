"""Curriculum pages, blocks and catalogues."""
