"""Catalog output: course cards for lists, the course detail with its syllabus, and reviews.

The serializer classes are the documented shape (OpenAPI). The hot path renders
`.values()` rows with the plain functions `course_card` and `course_detail`
instead: DRF's nested serializers cost more than the two SQL queries of a list
page. The contract test checks every response against the schema, so the two
cannot drift apart unnoticed.
"""

from django.core.files.storage import default_storage
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from accounts.names import name_from, public_name
from api.money import MoneySerializer, money_from_decimal
from coursepages.languages import text_direction


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
    "published_at",
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


def course_card(row, request):
    """A `.values(*CARD_FIELDS)` row as a catalog card."""
    cover = None
    if row["cover_rendition"]:
        cover = {
            "url": request.build_absolute_uri(default_storage.url(row["cover_rendition"])),
            "alt": row["cover_image__description"] or row["cover_image__title"],
        }
    instructor = None
    if row["instructor_id"]:
        name = name_from(
            pk=row["instructor_id"],
            first_name=row["instructor__first_name"],
            last_name=row["instructor__last_name"],
            username=row["instructor__username"],
        )
        instructor = {"id": row["instructor_id"], "name": name}
    category = None
    if row["category__slug"]:
        category = {"slug": row["category__slug"], "name": row["category__name"]}
    return {
        "id": row["id"],
        "slug": row["slug"],
        "title": row["title"],
        "summary": row["summary"],
        "difficulty": row["difficulty"],
        "course_type": row["course_type"],
        "language": row["language"],
        "text_direction": text_direction(row["language"]),
        "price": money_from_decimal(row["price"], row["currency"]),
        "is_free": row["price"] == 0,
        "rating": {"average": f"{row['rating_average']:.2f}", "count": row["rating_count"]},
        "enrollment_count": row["enrollment_count"],
        "category": category,
        "instructor": instructor,
        "cover_image": cover,
        "published_at": row["published_at"],
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
    is_free_preview = serializers.BooleanField()
    has_quiz = serializers.BooleanField()
    has_assignment = serializers.BooleanField()


class ModuleOutlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    summary = serializers.CharField()
    lessons = LessonOutlineSerializer(many=True)


class CertificateCriteriaSerializer(serializers.Serializer):
    min_lessons_percent = serializers.IntegerField()
    min_quiz_average = serializers.IntegerField()
    requires_assignments_passed = serializers.BooleanField(
        source="certificate_requires_assignments"
    )
    min_attendance_percent = serializers.IntegerField(help_text="Cohort courses only.")


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


def course_detail(row, tags, outline, request):
    """A `.values(*DETAIL_FIELDS)` row, its tags and its lesson outline as the course detail."""
    lessons = [lesson for _, module_lessons in outline for lesson in module_lessons]
    return {
        **course_card(row, request),
        "description": expand_db_html(row["description"]),
        "tags": tags,
        "refund_window_days": row["refund_window_days"],
        "enrollment_open": row["enrollment_open"],
        "certificate_criteria": {
            "min_lessons_percent": row["certificate_min_lessons_percent"],
            "min_quiz_average": row["certificate_min_quiz_average"],
            "requires_assignments_passed": row["certificate_requires_assignments"],
            "min_attendance_percent": row["certificate_min_attendance_percent"],
        },
        "lesson_count": len(lessons),
        "total_duration_minutes": sum(
            lesson["lessonpage__duration_minutes"] or 0 for lesson in lessons
        ),
        "syllabus": [
            {
                "id": module["id"],
                "title": module["title"],
                "slug": module["slug"],
                "summary": module["modulepage__summary"],
                "lessons": [
                    {
                        "id": lesson["id"],
                        "title": lesson["title"],
                        "slug": lesson["slug"],
                        "duration_minutes": lesson["lessonpage__duration_minutes"],
                        "is_free_preview": lesson["lessonpage__is_free_preview"],
                        "has_quiz": lesson["lessonpage__has_quiz"],
                        "has_assignment": lesson["lessonpage__has_assignment"],
                    }
                    for lesson in module_lessons
                ],
            }
            for module, module_lessons in outline
        ],
        "updated_at": row["last_published_at"],
    }


class ReviewInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    reviewer = serializers.SerializerMethodField(help_text="First name and last initial.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_reviewer(self, review) -> str:
        return public_name(review.learner)
