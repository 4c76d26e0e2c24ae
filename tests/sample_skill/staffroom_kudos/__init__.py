"""Kudos: thank a colleague in public, and a weekly round-up of the thanks."""
