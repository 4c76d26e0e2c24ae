"""The ``me`` skill: a member's own preferences (the language Staffroom writes to them in)."""
