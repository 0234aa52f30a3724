"""Cohort output for learners and visitors (the specialist's side comes with cohort editing)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.money import MoneySerializer, money_from_decimal


class CohortCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()


class CohortSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    course = CohortCourseSerializer()
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    timezone = serializers.CharField(help_text="IANA time zone, e.g. America/New_York.")
    enrollment_deadline = serializers.DateTimeField(help_text="Enrollment closes at this instant.")
    capacity = serializers.IntegerField()
    seats_left = serializers.IntegerField()
    waitlist = serializers.BooleanField(
        source="waitlist_open",
        help_text="Whether the waitlist takes names now: the cohort is full and still open.",
    )
    price = serializers.SerializerMethodField(
        help_text="What enrolling costs: the cohort's own price, else the course's."
    )

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_price(self, cohort):
        price = cohort.effective_price
        if price is None:
            return None
        return money_from_decimal(price, cohort.course.currency)
