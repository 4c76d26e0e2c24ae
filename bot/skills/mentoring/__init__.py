"""Peer mentoring: offers, requests, optimal pairing rounds, proposals and introductions."""
