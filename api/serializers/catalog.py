"""Catalog output: course cards for lists and the course detail with its syllabus.

The views read rows with `.values()` (no model instances, no StreamField
parsing) and these serializers shape them; their fields are also the schema.
"""

from django.core.files.storage import default_storage
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from coursepages.currencies import format_amount
from coursepages.languages import text_direction


class MoneySerializer(serializers.Serializer):
    amount = serializers.CharField(help_text='Decimal string, e.g. "49.00".')
    currency = serializers.CharField(help_text="ISO 4217 code.")


class NamedSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class InstructorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CoverImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    alt = serializers.CharField()


class RatingSerializer(serializers.Serializer):
    average = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=True)
    count = serializers.IntegerField()


CARD_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "difficulty",
    "course_type",
    "language",
    "price",
    "currency",
    "rating_average",
    "rating_count",
    "enrollment_count",
    "first_published_at",
    "category__slug",
    "category__name",
    "instructor_id",
    "instructor__first_name",
    "instructor__last_name",
    "instructor__username",
    "cover_image__title",
    "cover_image__description",
    "cover_rendition",
)


class CourseCardSerializer(serializers.Serializer):
    """A course as a catalog card."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    difficulty = serializers.CharField()
    course_type = serializers.CharField()
    language = serializers.CharField()
    text_direction = serializers.ChoiceField(choices=["ltr", "rtl"])
    price = MoneySerializer()
    is_free = serializers.BooleanField()
    rating = RatingSerializer()
    enrollment_count = serializers.IntegerField()
    category = NamedSerializer(allow_null=True)
    instructor = InstructorSerializer(allow_null=True)
    cover_image = CoverImageSerializer(allow_null=True)
    published_at = serializers.DateTimeField()

    def to_representation(self, row):
        return super().to_representation(card_values(row, self.context.get("request")))


def card_values(row, request):
    """Turn a `.values(*CARD_FIELDS)` row into the card's nested shape."""
    cover = None
    if row["cover_rendition"]:
        url = default_storage.url(row["cover_rendition"])
        cover = {
            "url": request.build_absolute_uri(url) if request else url,
            "alt": row["cover_image__description"] or row["cover_image__title"],
        }
    instructor = None
    if row["instructor_id"]:
        name = f"{row['instructor__first_name']} {row['instructor__last_name']}".strip()
        instructor = {"id": row["instructor_id"], "name": name or row["instructor__username"]}
    return {
        **row,
        "text_direction": text_direction(row["language"]),
        "price": {
            "amount": format_amount(row["price"], row["currency"]),
            "currency": row["currency"],
        },
        "is_free": row["price"] == 0,
        "rating": {"average": row["rating_average"], "count": row["rating_count"]},
        "category": (
            {"slug": row["category__slug"], "name": row["category__name"]}
            if row["category__slug"]
            else None
        ),
        "instructor": instructor,
        "cover_image": cover,
        "published_at": row["first_published_at"],
    }


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    difficulty = FacetValueSerializer(many=True)
    course_type = FacetValueSerializer(many=True)
    category = FacetValueSerializer(many=True)
    language = FacetValueSerializer(many=True)
    free = FacetValueSerializer(many=True)


class CourseListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    facets = FacetsSerializer()
    results = CourseCardSerializer(many=True)


class LessonOutlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    duration_minutes = serializers.IntegerField(
        allow_null=True, source="lessonpage__duration_minutes"
    )
    is_free_preview = serializers.BooleanField(source="lessonpage__is_free_preview")
    has_quiz = serializers.BooleanField(source="lessonpage__has_quiz")
    has_assignment = serializers.BooleanField(source="lessonpage__has_assignment")


class ModuleOutlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    summary = serializers.CharField(source="modulepage__summary")
    lessons = LessonOutlineSerializer(many=True)


class CertificateCriteriaSerializer(serializers.Serializer):
    min_lessons_percent = serializers.IntegerField(source="certificate_min_lessons_percent")
    min_quiz_average = serializers.IntegerField(source="certificate_min_quiz_average")
    requires_assignments_passed = serializers.BooleanField(
        source="certificate_requires_assignments"
    )
    min_attendance_percent = serializers.IntegerField(
        source="certificate_min_attendance_percent", help_text="Cohort courses only."
    )


class CourseDetailSerializer(CourseCardSerializer):
    """A course with everything a course page shows, and never a lesson body."""

    description = serializers.CharField(help_text="HTML.")
    tags = serializers.ListField(child=serializers.CharField())
    refund_window_days = serializers.IntegerField()
    enrollment_open = serializers.BooleanField()
    certificate_criteria = CertificateCriteriaSerializer()
    lesson_count = serializers.IntegerField()
    total_duration_minutes = serializers.IntegerField()
    syllabus = ModuleOutlineSerializer(many=True)
    updated_at = serializers.DateTimeField()

    def to_representation(self, row):
        outline = row["syllabus"]
        lessons = [lesson for _, module_lessons in outline for lesson in module_lessons]
        row = {
            **row,
            "description": expand_db_html(row["description"]),
            "certificate_criteria": row,
            "lesson_count": len(lessons),
            "total_duration_minutes": sum(
                lesson["lessonpage__duration_minutes"] or 0 for lesson in lessons
            ),
            "syllabus": [
                {**module, "lessons": module_lessons} for module, module_lessons in outline
            ],
            "updated_at": row["last_published_at"],
        }
        return super().to_representation(row)
