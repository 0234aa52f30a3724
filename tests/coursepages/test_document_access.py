"""Course documents stay with their course: a specialist reaches what they uploaded and what
the lessons of courses they teach use; never another specialist's. Through the admin's
document chooser, its answer for one document, and Wagtail's document URLs."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from coursepages.models import ModulePage
from coursepages.stream_values import paragraph
from tests.factories import LessonFactory, SpecialistFactory, build_course

pytestmark = pytest.mark.django_db


def upload(title, by=None):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4 private", name=f"{title}.pdf"), uploaded_by_user=by
    )


def chooser_titles(client) -> str:
    """The chooser's list of documents, as the modal shows it."""
    response = client.get("/admin/documents/chooser/results/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def ada(db):
    return SpecialistFactory()


@pytest.fixture
def ben(db):
    return SpecialistFactory()


@pytest.fixture
def adas_handout(ada):
    return upload("Ada-handout-private", by=ada)


def test_another_specialist_can_neither_list_nor_pick_nor_download_it(
    client_for, ben, adas_handout
):
    client = client_for(ben)

    assert "Ada-handout-private" not in chooser_titles(client)
    assert client.get(f"/admin/documents/chooser/chosen/{adas_handout.pk}/").status_code == 404
    assert client.get(adas_handout.url).status_code == 403


def test_the_uploader_lists_picks_and_downloads_it(client_for, ada, adas_handout):
    client = client_for(ada)

    assert "Ada-handout-private" in chooser_titles(client)
    chosen = client.get(f"/admin/documents/chooser/chosen/{adas_handout.pk}/")
    assert chosen.status_code == 200 and b"Ada-handout-private" in chosen.content
    assert client.get(adas_handout.url).status_code == 200


def test_whoever_teaches_a_course_reaches_the_documents_its_lessons_use(
    client_for, ada, ben, editor
):
    course = build_course(modules=1, lessons_per_module=1, owner=ada, instructor=ada)
    handout = upload("Course-handout", by=editor)
    LessonFactory(
        parent=ModulePage.objects.child_of(course).first(),
        body=[
            paragraph("<p>Print the handout.</p>"),
            ("document", {"document": handout, "title": "", "description": ""}),
        ],
    )

    assert client_for(ada).get(handout.url).status_code == 200
    assert "Course-handout" in chooser_titles(client_for(ada))
    assert client_for(ben).get(handout.url).status_code == 403


def test_editors_reach_every_document(client_for, editor, adas_handout):
    client = client_for(editor)
    assert "Ada-handout-private" in chooser_titles(client)
    assert client.get(adas_handout.url).status_code == 200


def test_learners_and_strangers_never_reach_wagtail_s_document_urls(
    client, client_for, learner, adas_handout
):
    assert client.get(adas_handout.url).status_code == 403
    assert client_for(learner).get(adas_handout.url).status_code == 403
