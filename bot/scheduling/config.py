"""The scheduler's and the outbox's tuning (``[scheduler]`` in the settings file)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SchedulerSettings(BaseModel):
    """The ``[scheduler]`` section: scheduled work (check-ins, reminders) and the outbox."""

    model_config = ConfigDict(extra="forbid")

    grace_minutes: float = Field(
        default=60,
        ge=0,
        le=7 * 24 * 60,
        description="Work missed while Staffroom was down still runs this late; older is skipped "
        "(and recorded).",
    )
    tick_seconds: float = Field(
        default=15, gt=0, le=3600, description="How often the process looks for due work."
    )
    batch_size: int = Field(
        default=200, ge=1, le=10_000, description="Occurrences or messages claimed at once."
    )
    outbox_concurrency: int = Field(
        default=8, ge=1, le=100, description="Messages the outbox sends at the same time."
    )
    outbox_max_attempts: int = Field(
        default=8, ge=1, le=100, description="Sends of one message before it is given up."
    )
    outbox_backoff_seconds: float = Field(
        default=5, ge=0, le=3600, description="The first retry's wait; it doubles each time."
    )
    outbox_max_backoff_seconds: float = Field(
        default=1800, ge=0, le=86_400, description="The longest wait between two retries."
    )
    outbox_lease_seconds: float = Field(
        default=120,
        ge=1,
        le=3600,
        description="A message being sent by a process that died is retaken after this.",
    )
    outbox_keep_days: int = Field(
        default=7, ge=1, le=365, description="How long sent and failed messages are kept."
    )
