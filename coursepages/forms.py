from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminPageForm

from accounts.roles import SPECIALISTS


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "instructor" in self.fields:
            self.fields["instructor"].queryset = (
                get_user_model()
                .objects.filter(groups__name=SPECIALISTS, is_active=True)
                .order_by("first_name", "last_name", "username")
            )
