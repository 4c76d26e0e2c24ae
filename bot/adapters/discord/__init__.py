"""The Discord adapter (discord.py 2.x): gateway events in, ``Reply`` objects out.

``inbound`` turns each discord.py event into a core ``Event`` (pure functions), ``render``
turns a ``Reply`` into messages, embeds, components and modals, ``port`` is the ``ChatPort``
for DMs and posts, ``slash`` generates the application commands from the command registry,
and ``adapter`` wires it all to a discord.py client.
"""
