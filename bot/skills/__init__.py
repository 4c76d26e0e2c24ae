"""Skills: one package per job the bot does, each with a ``manifest.py`` as its front door.

Skills are found through the entry-point group ``staffroom.skills`` (``bot.core.skills``); a
skill imports the layers below it (``community``, ``scheduling``, ``core``, ``storage``) and
never another skill, an adapter or a chat platform. See docs/writing-a-skill.md.
"""
