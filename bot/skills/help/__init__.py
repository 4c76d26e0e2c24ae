"""``help``: what the bot can do, generated from every skill's command declarations."""
