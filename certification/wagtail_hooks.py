from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter

from certification.admin_views import (
    CertificateActionView,
    CertificateHistoryView,
    CertificateIndexView,
    CertificateInspectView,
    CertificatePdfView,
)
from certification.models import Certificate


class CertificateViewSet(ModelViewSet):
    """Staff (editors and superusers, through the certificate permissions) see every
    certificate; specialists and learners have no access."""

    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    history_view_class = CertificateHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "code",
        Column("learner", label=_("Learner"), accessor="learner_name"),
        Column("course", label=_("Course"), accessor="course_title"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        "issued_at",
    ]
    list_filter = ["status"]
    search_fields = [
        "code",
        "learner__first_name",
        "learner__last_name",
        "learner__email",
        "course__title",
    ]
    search_backend_name = None
    inspect_view_fields = [
        "code",
        "status",
        "issued_at",
        "revoked_at",
        "revoke_reason",
        "learner",
        "course",
        "replaces",
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        """Certificates are made by services only: no add, edit, copy or delete views."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("usage/<int:pk>/", self.usage_view, name="usage"),
            path("pdf/<int:pk>/", CertificatePdfView.as_view(), name="pdf"),
            *[
                path(
                    f"{action}/<int:pk>/", CertificateActionView.as_view(action=action), name=action
                )
                for action in ("revoke", "reissue", "regenerate")
            ],
        ]


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet("certificate")


class CertificateLogFormatter(LogFormatter):
    def format_message(self, log_entry):
        return self.message % {"reason": "", "replacement": "", "replaces": "", **log_entry.data}


CERTIFICATE_LOG_ACTIONS = [
    ("certification.certificate.revoke", _("Revoke certificate"), _("Revoked: %(reason)s")),
    ("certification.certificate.reissue", _("Reissue certificate"), _("Reissued as %(replacement)s")),
    ("certification.certificate.replace", _("Issue replacement"), _("Issued to replace %(replaces)s")),
    ("certification.certificate.render_pdf", _("Render PDF"), _("PDF rendered")),
]  # fmt: skip


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    for action, label, message in CERTIFICATE_LOG_ACTIONS:
        actions.register_action(action)(
            type(
                "CertificateLogFormatter",
                (CertificateLogFormatter,),
                {"label": label, "message": message},
            )
        )
