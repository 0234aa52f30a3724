"""Lesson body blocks: validation where the mistake is, and ids that stay put."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from coursepages.blocks import CaptionTrackBlock, QuizQuestionBlock, RubricCriterionBlock
from coursepages.models import LessonPage, ModulePage
from tests.factories import LessonFactory, build_course, sample_assignment, sample_quiz

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (40, 90, 140)).save(buffer, format="PNG")
    return buffer


def list_block(items):
    """ListBlock form data, the shape the admin's JavaScript posts."""
    data = {
        str(index): {"value": item, "deleted": "", "order": str(index)}
        for index, item in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def quiz_form_value(choices):
    return {
        "title": "Warm-up",
        "pass_mark": "70",
        "attempts_allowed": "3",
        "questions": list_block(
            [
                {
                    "kind": "single",
                    "prompt": "2 + 2?",
                    "points": "1",
                    "explanation": "",
                    "choices": list_block(
                        [
                            {"text": text, **({"correct": "on"} if correct else {})}
                            for text, correct in choices
                        ]
                    ),
                }
            ]
        ),
    }


def post_new_lesson(client, module, action, choices):
    add_url = f"/admin/pages/add/coursepages/lessonpage/{module.pk}/"
    data = querydict_from_html(client.get(add_url).content.decode(), form_id="page-edit-form")
    data.update(
        nested_form_data(
            {
                "title": "Arithmetic",
                "slug": "arithmetic",
                "body": streamfield([("quiz", quiz_form_value(choices))]),
            }
        )
    )
    if action:
        data[action] = action
    return client.post(add_url, data)


def messages_in(error):
    """Messages of a block error, whether it is about the list as a whole or a plain field."""
    if getattr(error, "non_block_errors", None):
        return [message for e in error.non_block_errors.as_data() for message in e.messages]
    return error.messages


@pytest.fixture
def module(specialist):
    return ModulePage.objects.child_of(build_course(owner=specialist, published=False)).first()


def test_submitting_a_question_without_a_correct_choice_shows_the_error_and_saves_nothing(
    client_for, specialist, module
):
    response = post_new_lesson(
        client_for(specialist), module, "action-submit", [("3", False), ("5", False)]
    )

    assert response.status_code == 200
    assert "Mark the correct choice." in response.content.decode()
    assert not LessonPage.objects.filter(slug="arithmetic").exists()


def test_a_draft_may_hold_an_unfinished_question(client_for, specialist, module):
    post_new_lesson(client_for(specialist), module, None, [("3", False), ("5", False)])

    lesson = LessonPage.objects.get(slug="arithmetic")
    [quiz] = lesson.blocks_of_type("quiz")
    assert [choice["text"] for choice in quiz.value["questions"][0]["choices"]] == ["3", "5"]


def test_a_complete_question_is_accepted_on_submit(client_for, specialist, module):
    post_new_lesson(client_for(specialist), module, "action-submit", [("4", True), ("5", False)])
    assert LessonPage.objects.filter(slug="arithmetic").exists()


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [("a", False), ("b", False)], "Mark the correct choice."),
        ("single", [("a", True), ("b", True)], "Only one choice can be correct"),
        ("multiple", [("a", False), ("b", False)], "Mark the correct choice."),
        ("true_false", [("True", True), ("False", False), ("Maybe", False)], "exactly two"),
        ("single", [("a", True)], "The minimum number of items is 2"),
    ],
)
def test_question_errors_are_reported_on_its_choices(kind, choices, message):
    block = QuizQuestionBlock()
    value = block.to_python(
        {
            "kind": kind,
            "prompt": "?",
            "points": 1,
            "choices": [{"text": text, "correct": correct} for text, correct in choices],
        }
    )
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert set(raised.value.block_errors) == {"choices"}
    assert message in " ".join(messages_in(raised.value.block_errors["choices"]))


def test_a_multiple_choice_question_may_have_several_correct_choices():
    block = QuizQuestionBlock()
    value = block.to_python(
        {
            "kind": "multiple",
            "prompt": "?",
            "points": 2,
            "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True}],
        }
    )
    assert block.clean(value)["points"] == 2


def test_a_rubric_criterion_without_points_is_reported_on_its_points():
    block = RubricCriterionBlock()
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python({"title": "Clarity", "description": "", "max_points": None}))
    assert set(raised.value.block_errors) == {"max_points"}


def test_captions_must_be_webvtt_files():
    pdf = get_document_model().objects.create(
        title="Not captions", file=ContentFile(b"%PDF-1.4", name="notes.pdf")
    )
    block = CaptionTrackBlock()
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python({"language": "en", "label": "", "file": pdf.pk}))
    assert set(raised.value.block_errors) == {"file"}


def test_quiz_assignment_question_and_criterion_ids_survive_revisions(specialist):
    course = build_course(owner=specialist, modules=1, lessons_per_module=1)
    lesson = LessonPage.objects.descendant_of(course).get()
    [quiz] = lesson.blocks_of_type("quiz")
    [assignment] = lesson.blocks_of_type("assignment")
    question_ids = [q.id for q in quiz.value["questions"].bound_blocks]
    criterion_ids = [c.id for c in assignment.value["rubric"].bound_blocks]

    lesson.title = "Renamed"
    lesson.save_revision(user=specialist).publish()
    reloaded = LessonPage.objects.get(pk=lesson.pk)

    assert reloaded.find_block("quiz", quiz.id) is not None
    assert reloaded.find_block("assignment", assignment.id) is not None
    [quiz_again] = reloaded.blocks_of_type("quiz")
    [assignment_again] = reloaded.blocks_of_type("assignment")
    assert [q.id for q in quiz_again.value["questions"].bound_blocks] == question_ids
    assert [c.id for c in assignment_again.value["rubric"].bound_blocks] == criterion_ids
    assert all(question_ids) and all(criterion_ids)


def test_api_representation_carries_every_list_item_id(specialist):
    course = build_course(owner=specialist, modules=1, lessons_per_module=1)
    module = ModulePage.objects.child_of(course).get()
    lesson = LessonFactory(parent=module, body=[sample_quiz(), sample_assignment()])

    quiz_json, assignment_json = lesson.body.stream_block.get_api_representation(lesson.body)

    [quiz] = lesson.blocks_of_type("quiz")
    first_question = quiz.value["questions"].bound_blocks[0]
    assert quiz_json["id"] == quiz.id
    assert quiz_json["value"]["questions"][0]["id"] == first_question.id
    assert [c["id"] for c in quiz_json["value"]["questions"][0]["value"]["choices"]] == [
        c.id for c in first_question.value["choices"].bound_blocks
    ]
    assert all(criterion["id"] for criterion in assignment_json["value"]["rubric"])


@pytest.mark.parametrize("name", list(LessonPage.body.field.stream_block.child_blocks))
def test_every_lesson_block_has_a_preview_and_description_in_the_block_picker(
    name, client_for, specialist
):
    block = LessonPage.body.field.stream_block.child_blocks[name]
    get_image_model().objects.create(title="Chart", file=ImageFile(png(), name="chart.png"))
    response = client_for(specialist).get("/admin/block-preview/", {"id": block.definition_prefix})
    assert block.is_previewable and block.get_description()
    assert response.status_code == 200
