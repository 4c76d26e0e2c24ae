"""What several skills share: members' profiles and their vocabulary, time zones, audiences."""
