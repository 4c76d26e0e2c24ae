"""The platform-neutral core: events, replies, commands, the dispatcher and its context."""
