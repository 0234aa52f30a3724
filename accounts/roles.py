"""The platform's Wagtail groups, by name (created by coursepages' migration 0002)."""

SPECIALISTS = "Specialists"
EDITORS = "Editors"
