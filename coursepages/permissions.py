"""Who may do what with course content in the Wagtail admin.

Specialists hold Wagtail's "add" permission on the catalog, which on its own
would let them add modules to anyone's course. Here a course and everything in
it belong to the course's owner and instructor: other specialists can do
nothing with them. Editors ("change" permission) are unaffected.
"""

from functools import cached_property

from wagtail.models import PagePermissionTester

from coursepages.selectors import teaches


class CourseContentPermissionTester(PagePermissionTester):
    @cached_property
    def course(self):
        return self.page.get_course()

    @cached_property
    def acts_as_specialist(self):
        """True when the user's rights here come from "add" alone."""
        return (
            self.user.is_active
            and not self.user.is_superuser
            and "change" not in self.permissions
            and "add" in self.permissions
        )

    @cached_property
    def is_outsider(self):
        return self.acts_as_specialist and not (self.course and teaches(self.user, self.course))

    def can_edit(self):
        if self.is_outsider:
            return False
        if self.acts_as_specialist and not self.page_is_root:
            return True
        return super().can_edit()

    def can_add_subpage(self):
        return not self.is_outsider and super().can_add_subpage()

    def can_delete(self, ignore_bulk=False):
        return not self.is_outsider and super().can_delete(ignore_bulk=ignore_bulk)

    def can_submit_for_moderation(self):
        return not self.is_outsider and super().can_submit_for_moderation()

    def can_view_revisions(self):
        return not self.is_outsider and super().can_view_revisions()

    def can_copy(self):
        return not self.is_outsider and super().can_copy()

    def can_archive(self):
        """Editors (publishers) and the course's own specialist may archive it."""
        if not self.user.is_active or self.course is None:
            return False
        return self.can_publish() or (self.acts_as_specialist and not self.is_outsider)
