"""Network administration from chat: channels, moderators, settings, blocks, stats, audit, export.

``commands`` changes the network; ``reports`` reads it (stats, the audit log, the export).
"""
