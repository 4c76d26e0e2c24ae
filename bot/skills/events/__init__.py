"""Events and office hours: meetings answered per occurrence with reminders, calendar files and
feedback; mentors' and experts' hours booked slot by slot."""
