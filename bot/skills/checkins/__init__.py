"""Check-ins: recurring questions DMed to an audience at their local time, nudges, summaries."""
