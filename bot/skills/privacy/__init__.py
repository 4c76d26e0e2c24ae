"""Members' privacy rights: see, export and erase what Staffroom stores about them.

``commands`` holds the commands and the privacy hooks of the core tables (the member row and
the audit log); ``records`` reads and anonymises those tables; ``erasure`` forgets a member
through every skill's eraser, on request or after they left; ``report`` gathers and shows
what every skill's exporter holds.
"""
