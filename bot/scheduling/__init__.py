"""Scheduling: recurrences, the schedule of record in the store, the outbox and the runtime.

Platform-neutral and skill-agnostic: skills declare ``@scheduled`` jobs and create schedules
through ``bot.scheduling.jobs``; the runtime claims due work and dispatches it as core events.
"""
