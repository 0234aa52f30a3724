"""Meeting providers for live sessions (manual link, Zoom, Google Meet) and what they report.

Issue 12, where it stands. Built: Zoom webhooks received, verified, stored once and
processed (`zoom_webhooks.py`); participants mapped to learners by registrant id or
e-mail and attendance computed on `meeting.ended` (`learning.services.zoom_attendance`);
attendance records, rules, the bulk API, the admin grid and the learner's standing.
Next:
- the provider interface (like `commerce/providers/`): manual link, Zoom (Server-to-Server
  OAuth, one recurring meeting per cohort with registrants filling `ZoomRegistrant` and
  `CohortSession.zoom_meeting_id`, occurrences updated on reschedule), Google Meet
  (Calendar `events.insert` with conferenceData, Meet REST attendance); join redirects to
  the learner's own registrant URL; a failed call leaves the manual link as the fallback
- the participants report pulled after the meeting (or by beat after the scheduled end)
- the unmatched-participants list in the admin and an API to resolve from it
- recordings (upload, URL, or downloaded on `recording.completed`), signed links, notices
- cohort completion when the last session is held, certificates stating attendance
- `make bench`: webhook acknowledgements per second, attendance recompute, grid queries
"""
