"""The console adapter: try Staffroom in a terminal, or drive it from a script, with no tokens."""
