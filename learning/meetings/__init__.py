"""Meeting providers for live sessions (manual link, Zoom, Google Meet) and what they report."""
