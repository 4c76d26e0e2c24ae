"""Introductions: profiles, the member directory, and suggestions of like-minded peers."""
