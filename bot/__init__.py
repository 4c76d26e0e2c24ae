"""Staffroom: a community assistant for teacher networks."""
