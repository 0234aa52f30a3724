"""Lesson content for learners: every block with its id, never an answer, and files by
signed links that work only while the learner has access."""

import io
import json
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from coursepages.models import LessonPage, ModulePage
from coursepages.stream_values import paragraph, question, quiz
from learning.models import Enrollment
from tests.api_helpers import assert_problem
from tests.factories import LessonFactory, UserFactory, build_course, sample_assignment

pytestmark = pytest.mark.django_db


def image(title):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (30, 60, 90)).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title}.png")
    )


def document(title, name, content=b"%PDF-1.4 demo"):
    return get_document_model().objects.create(title=title, file=ContentFile(content, name=name))


def rich_lesson(course, images=1):
    module = ModulePage.objects.child_of(course).first()
    captions = document("Captions", "captions.vtt", b"WEBVTT\n")
    body = [
        paragraph("<p>Read <b>this</b>.</p>"),
        *[("image", {"image": image(f"chart-{n}"), "alt_text": f"Chart {n}", "decorative": False}) for n in range(images)],
        ("video", {"url": "https://vimeo.com/123", "title": "Intro", "transcript": "Hello.",
                   "captions": [{"language": "ar", "label": "", "file": captions}]}),
        ("document", {"document": document("Handout", "handout.pdf"), "title": "", "description": "Print it."}),
        quiz("Warm-up", [question("2 + 2?", ["4", "5"], ["4"], explanation="Count on your fingers.")]),
        sample_assignment(),
    ]  # fmt: skip
    return LessonFactory(parent=module, title=f"Rich lesson with {images} images", body=body)


@pytest.fixture
def enrolled(api_client, learner):
    course = build_course(price=Decimal("0"))
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="active")
    api_client.force_authenticate(learner)
    return api_client, enrollment


def lesson_url(enrollment, lesson):
    return f"/api/v1/enrollments/{enrollment.pk}/lessons/{lesson.pk}/"


def test_an_enrolled_learner_reads_every_block_with_its_id(enrolled):
    client, enrollment = enrolled
    lesson = rich_lesson(enrollment.course)

    body = client.get(lesson_url(enrollment, lesson)).json()

    assert [block["type"] for block in body["body"]] == [
        "paragraph", "image", "video", "document", "quiz", "assignment"
    ]  # fmt: skip
    assert [block["id"] for block in body["body"]] == [block.id for block in lesson.body]
    paragraph_block, image_block, video, handout, quiz_block, assignment = (
        b["value"] for b in body["body"]
    )
    assert paragraph_block["html"] == "<p>Read <b>this</b>.</p>"
    assert image_block["alt"] == "Chart 0" and image_block["url"].startswith("http://testserver/")
    assert video["provider"] == "vimeo"
    assert video["captions"][0]["direction"] == "rtl"
    assert handout["title"] == "Handout" and handout["url"].startswith(
        "http://testserver/api/v1/files/"
    )
    [stored_quiz] = lesson.blocks_of_type("quiz")
    stored_question = stored_quiz.value["questions"].bound_blocks[0]
    assert quiz_block["questions"][0]["id"] == stored_question.id
    assert [c["id"] for c in quiz_block["questions"][0]["choices"]] == [
        c.id for c in stored_question.value["choices"].bound_blocks
    ]
    assert [c["max_points"] for c in assignment["rubric"]] == [10, 10]


def test_no_learner_payload_contains_a_correct_choice_or_an_explanation(enrolled, learner):
    client, enrollment = enrolled
    lesson = rich_lesson(enrollment.course)
    preview = lesson
    preview.is_free_preview = True
    preview.save_revision().publish()

    for url in (lesson_url(enrollment, lesson), f"/api/v1/lessons/{lesson.pk}/preview/"):
        text = json.dumps(client.get(url).json())
        assert '"correct"' not in text
        assert "explanation" not in text
        assert "Count on your fingers" not in text


def test_a_pending_enrollment_reads_only_free_previews(api_client, learner):
    course = build_course(price=Decimal("49"))
    enrollment = Enrollment.objects.create(learner=learner, course=course, status="pending_payment")
    api_client.force_authenticate(learner)
    locked, preview = LessonPage.objects.descendant_of(course).order_by("path")[:2]
    preview.is_free_preview = True
    preview.save_revision().publish()

    assert_problem(api_client.get(lesson_url(enrollment, locked)), 403, "enrollment_inactive")
    assert api_client.get(lesson_url(enrollment, preview)).status_code == 200


def test_free_previews_are_open_to_anyone_signed_in_and_nothing_else_is(api_client, learner):
    course = build_course()
    locked, preview = LessonPage.objects.descendant_of(course).order_by("path")[:2]
    preview.is_free_preview = True
    preview.save_revision().publish()

    assert_problem(
        api_client.get(f"/api/v1/lessons/{preview.pk}/preview/"), 401, "not_authenticated"
    )
    api_client.force_authenticate(learner)
    assert api_client.get(f"/api/v1/lessons/{preview.pk}/preview/").json()["title"] == preview.title
    assert_problem(api_client.get(f"/api/v1/lessons/{locked.pk}/preview/"), 404, "not_found")


def test_reading_a_lesson_is_where_resume_picks_up(enrolled):
    client, enrollment = enrolled
    lessons = list(LessonPage.objects.descendant_of(enrollment.course).order_by("path"))
    client.get(lesson_url(enrollment, lessons[2]))
    resume = client.get(f"/api/v1/enrollments/{enrollment.pk}/resume/").json()
    assert (resume["lesson"]["id"], resume["reason"]) == (lessons[2].pk, "last_touched")


def test_another_learner_cannot_read_the_lesson(api_client, enrolled):
    _, enrollment = enrolled
    lesson = LessonPage.objects.descendant_of(enrollment.course).first()
    api_client.force_authenticate(UserFactory())
    assert_problem(api_client.get(lesson_url(enrollment, lesson)), 404, "not_found")


def test_lesson_content_runs_a_fixed_number_of_queries(enrolled, django_assert_max_num_queries):
    client, enrollment = enrolled
    small, large = (
        rich_lesson(enrollment.course, images=1),
        rich_lesson(enrollment.course, images=6),
    )
    for lesson in (small, large):
        client.get(lesson_url(enrollment, lesson))  # renditions are made on first view
        with django_assert_max_num_queries(8):
            assert client.get(lesson_url(enrollment, lesson)).status_code == 200


def links(client, enrollment, lesson):
    blocks = {
        b["type"]: b["value"] for b in client.get(lesson_url(enrollment, lesson)).json()["body"]
    }
    return blocks["document"]["url"], blocks["video"]["captions"][0]["url"]


def test_an_enrolled_learner_downloads_the_lesson_files_by_link_alone(enrolled):
    client, enrollment = enrolled
    handout_url, captions_url = links(client, enrollment, rich_lesson(enrollment.course))

    handout = Client().get(handout_url)  # a plain browser GET: no token, no session
    captions = Client().get(captions_url)

    assert handout.status_code == 200 and handout.getvalue() == b"%PDF-1.4 demo"
    assert handout["Content-Type"] == "application/pdf"
    assert handout["Cache-Control"] == "private, max-age=3600"
    assert captions["Content-Type"].startswith("text/vtt")
    assert captions.getvalue() == b"WEBVTT\n"


@pytest.mark.parametrize(
    ("accept", "handout_status", "captions_status"),
    [
        ("application/pdf", 200, 406),
        ("text/vtt", 406, 200),
        ("*/*", 200, 200),
        ("application/*", 200, 406),
        ("text/html, application/pdf;q=0.9", 200, 406),
        ("application/json", 406, 406),
    ],
)
def test_a_file_is_served_to_any_accept_that_allows_its_type(
    enrolled, accept, handout_status, captions_status
):
    client, enrollment = enrolled
    handout_url, captions_url = links(client, enrollment, rich_lesson(enrollment.course))
    for url, status, body in (
        (handout_url, handout_status, b"%PDF-1.4 demo"),
        (captions_url, captions_status, b"WEBVTT\n"),
    ):
        response = Client().get(url, HTTP_ACCEPT=accept)
        if status == 200:
            assert response.status_code == 200 and response.getvalue() == body
        else:
            assert_problem(response, 406, "not_acceptable")


def test_links_stop_working_when_the_learner_loses_access(enrolled):
    client, enrollment = enrolled
    handout_url, _ = links(client, enrollment, rich_lesson(enrollment.course))
    Enrollment.objects.filter(pk=enrollment.pk).update(status="refunded")

    assert_problem(Client().get(handout_url), 403, "enrollment_inactive")


def test_links_stop_working_when_the_lesson_is_unpublished(enrolled):
    client, enrollment = enrolled
    lesson = rich_lesson(enrollment.course)
    handout_url, _ = links(client, enrollment, lesson)
    lesson.unpublish()

    assert_problem(Client().get(handout_url), 404, "not_found")


def test_an_expired_or_forged_link_is_refused(enrolled):
    client, enrollment = enrolled
    handout_url, _ = links(client, enrollment, rich_lesson(enrollment.course))

    with override_settings(DOWNLOAD_LINK_MAX_AGE=0):
        assert_problem(Client().get(handout_url), 410, "link_expired")
    forged = handout_url.replace("/files/", "/files/x")
    assert_problem(Client().get(forged), 404, "not_found")


def test_free_preview_documents_follow_the_preview(api_client, enrolled, learner):
    _, enrollment = enrolled
    lesson = rich_lesson(enrollment.course)
    lesson.is_free_preview = True
    lesson.save_revision().publish()
    preview = api_client.get(f"/api/v1/lessons/{lesson.pk}/preview/").json()
    handout_url = next(b for b in preview["body"] if b["type"] == "document")["value"]["url"]
    assert Client().get(handout_url).status_code == 200

    lesson.is_free_preview = False
    lesson.save_revision().publish()
    assert_problem(Client().get(handout_url), 404, "not_found")


def test_wagtail_document_urls_serve_only_people_who_author_the_course(
    client_for, learner, specialist, editor
):
    document = get_document_model().objects.create(
        title="Handout", file=SimpleUploadedFile("handout.pdf", b"%PDF-1.4 demo")
    )
    assert Client().get(document.url).status_code == 403
    assert client_for(learner).get(document.url).status_code == 403
    assert client_for(specialist).get(document.url).status_code == 403  # not theirs
    assert client_for(editor).get(document.url).status_code == 200
