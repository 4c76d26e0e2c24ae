"""The Slack adapter: a slack-bolt async app in Socket Mode or HTTP mode, for one workspace
(a bot token) or many (OAuth installs kept in our database, tokens encrypted).

``inbound`` turns Slack payloads into core events (pure functions), ``blocks`` and ``modals``
render replies as Block Kit, ``port`` sends them, ``bolt_app`` wires bolt's listeners,
``service`` runs it.
"""
