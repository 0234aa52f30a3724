"""StreamField blocks for lesson bodies.

Quizzes, assignments, questions, choices and rubric criteria are addressed by
their block ids, which Wagtail keeps stable across revisions. Lists of them use
IdentifiedListBlock so those ids also reach API output.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock

from coursepages.languages import LANGUAGE_CHOICES

RICH_TEXT_FEATURES = [
    "h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "code",
    "blockquote", "hr",
]  # fmt: skip


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True / false")


class SubmissionKind(models.TextChoices):
    TEXT = "text", _("Text")
    URL = "url", _("Link (URL)")
    FILE = "file", _("File upload")


def question_choices_problem(kind, choices):
    """Say what is wrong with a question's choices for its kind, or return None."""
    correct = sum(1 for choice in choices if choice.get("correct"))
    if kind == QuestionKind.TRUE_FALSE and len(choices) != 2:
        return _("A true/false question needs exactly two choices, e.g. “True” and “False”.")
    if len(choices) < 2:
        return _("Add at least two choices.")
    if correct == 0:
        return _("Mark the correct choice.")
    if kind != QuestionKind.MULTIPLE and correct > 1:
        return _("Only one choice can be correct in a %(kind)s question; use multiple choice.") % {
            "kind": QuestionKind(kind).label.lower()
        }
    return None


class IdentifiedListBlock(blocks.ListBlock):
    """A ListBlock whose API representation keeps each item's stable id.

    Wagtail's own ListBlock returns bare values, losing the ids that quiz answers,
    grades and progress refer to.
    """

    def get_api_representation(self, value, context=None):
        return [
            {
                "id": child.id,
                "value": self.child_block.get_api_representation(child.value, context=context),
            }
            for child in value.bound_blocks
        ]


class CaptionTrackBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(choices=LANGUAGE_CHOICES, default="en")
    label = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text=_(
            "Name in the player's caption menu, e.g. “English (CC)”. Defaults to the language."
        ),
    )
    file = DocumentChooserBlock(help_text=_("A WebVTT (.vtt) caption file."))

    def clean(self, value):
        value = super().clean(value)
        document = value.get("file")
        if document and not document.file.name.lower().endswith(".vtt"):
            raise StructBlockValidationError(
                block_errors={"file": ValidationError(_("Captions must be a WebVTT (.vtt) file."))}
            )
        return value

    class Meta:
        icon = "openquote"
        label = _("Caption track")


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label=_("Video URL"),
        help_text=_("A YouTube or Vimeo link, or the address of a video file (MP4, WebM, HLS)."),
    )
    title = blocks.CharBlock(required=False, max_length=200)
    captions = IdentifiedListBlock(CaptionTrackBlock(), default=[], collapsed=True)
    transcript = blocks.TextBlock(
        required=False, help_text=_("Full text of what is said, for accessibility and search.")
    )

    class Meta:
        icon = "media"
        template = "coursepages/blocks/video.html"
        description = _("A video from YouTube, Vimeo or a file URL, with captions and transcript.")
        preview_value = {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Welcome"}


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(help_text=_("A PDF or other file learners can download."))
    title = blocks.CharBlock(
        required=False, max_length=200, help_text=_("Defaults to the document's own title.")
    )
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "coursepages/blocks/document.html"
        description = _("A downloadable document, such as a PDF handout.")
        preview_value = {"title": "Course handbook (PDF)", "description": "Read before lesson 2."}


class LinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("URL"))
    title = blocks.CharBlock(max_length=200)
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "link"
        template = "coursepages/blocks/link.html"
        description = _("A link to further reading or a tool.")
        preview_value = {"url": "https://example.com/", "title": "Further reading"}


class QuizChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=500)
    correct = blocks.BooleanBlock(required=False, label=_("Correct answer"))

    class Meta:
        icon = "tick"
        label = _("Choice")


class QuizQuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    prompt = blocks.TextBlock(label=_("Question"))
    choices = IdentifiedListBlock(QuizChoiceBlock(), min_num=2)
    points = blocks.IntegerBlock(min_value=1, default=1)
    explanation = blocks.TextBlock(
        required=False, help_text=_("Shown to the learner only after the attempt is graded.")
    )

    def clean(self, value):
        value = super().clean(value)
        if not self.is_deferred_validation:
            problem = question_choices_problem(value["kind"], value["choices"])
            if problem:
                raise StructBlockValidationError(block_errors={"choices": ValidationError(problem)})
        return value

    class Meta:
        icon = "help"
        label = _("Question")


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, default=_("Check your understanding"))
    pass_mark = blocks.IntegerBlock(
        min_value=0, max_value=100, default=70, help_text=_("Percentage of points needed to pass.")
    )
    attempts_allowed = blocks.IntegerBlock(
        min_value=0, default=3, help_text=_("How many times a learner may submit; 0 for unlimited.")
    )
    questions = IdentifiedListBlock(QuizQuestionBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "coursepages/blocks/quiz.html"
        description = _("Graded questions with single, multiple or true/false answers.")
        preview_value = {
            "title": "Check your understanding",
            "questions": [
                {
                    "kind": "single",
                    "prompt": "Which chart suits a trend over time?",
                    "choices": [{"text": "Line chart", "correct": True}, {"text": "Pie chart"}],
                }
            ],
        }


class RubricCriterionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    description = blocks.TextBlock(required=False, help_text=_("What earns full points."))
    max_points = blocks.IntegerBlock(
        min_value=1, help_text=_("The most points a submission can score on this criterion.")
    )

    class Meta:
        icon = "list-ol"
        label = _("Criterion")


class AssignmentBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    instructions = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    submission_kinds = blocks.MultipleChoiceBlock(
        choices=SubmissionKind.choices,
        default=[SubmissionKind.TEXT],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What learners may hand in."),
    )
    rubric = IdentifiedListBlock(RubricCriterionBlock(), min_num=1)
    pass_mark = blocks.IntegerBlock(
        min_value=0,
        max_value=100,
        default=60,
        help_text=_("Percentage of rubric points needed to pass."),
    )

    class Meta:
        icon = "form"
        template = "coursepages/blocks/assignment.html"
        description = _("Work the learner hands in and you grade against a rubric.")
        preview_value = {
            "title": "Redesign a chart",
            "instructions": "<p>Pick a chart from the news and improve it.</p>",
            "rubric": [{"title": "Clarity", "max_points": 10}],
        }


class LessonImageBlock(ImageBlock):
    def get_preview_value(self):
        # The block picker's preview uses the newest image in the library, if any.
        image = get_image_model().objects.order_by("-created_at").first()
        return self.normalize({"image": image, "alt_text": image.title}) if image else None

    class Meta:
        template = "coursepages/blocks/image.html"
        description = _("An image with alt text, or marked as decorative.")


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="coursepages/blocks/paragraph.html",
        description=_("Formatted text with headings, lists and links."),
        preview_value="<h2>Why this matters</h2><p>Good charts answer one question well.</p>",
    )
    image = LessonImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    link = LinkBlock()
    quiz = QuizBlock()
    assignment = AssignmentBlock()
