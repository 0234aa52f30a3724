"""Calendar subscriptions: iCalendar feeds at secret token URLs, and the URLs themselves.

The feeds take no cookie or JWT (calendar apps cannot sign in): the token is the credential,
checked afresh on every request together with the holder's access, and a wrong, rotated or
missing token, or one whose holder lost access, is a 404 that reveals nothing."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parameters import FEED_TOKEN, ID
from api.renderers import ICalendarRenderer
from learning.links import absolute
from learning.selectors.calendars import calendar_feed_holder, feed_sessions, my_calendar_cohorts
from learning.selectors.sessions import cohorts_with_sessions_for
from learning.services.calendars import (
    LEARNER_SCOPE,
    calendar_feed_fingerprint,
    calendar_feed_generation,
    calendar_feed_ics,
    calendar_feed_rotate,
    calendar_feed_token,
    calendar_feed_token_read,
    cohort_scope,
)

FEED_CACHE_SECONDS = 60 * 60
FEED_RESPONSES = {
    (200, "text/calendar"): OpenApiResponse(
        OpenApiTypes.BINARY, description="The feed (RFC 5545), UTF-8, with ETag and Last-Modified."
    ),
    304: OpenApiResponse(description="Unchanged since the ETag sent in If-None-Match."),
}


class CalendarFeedUrlSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The feed's secret URL (https); keep it private.")
    webcal_url = serializers.CharField(
        help_text="The same feed as a webcal:// link, which calendar apps open to subscribe."
    )


def _feed_urls(*, route, kwargs, user, scope, generation):
    token = calendar_feed_token(user=user, scope=scope, generation=generation)
    url = absolute(reverse(route, kwargs=kwargs)) + "?" + urlencode({"token": token})
    return CalendarFeedUrlSerializer(
        {"url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}
    ).data


class LearnerCalendarView(APIView):
    @extend_schema(responses={200: CalendarFeedUrlSerializer})
    def get(self, request):
        """The URL of my calendar feed: the sessions of every cohort I learn in or teach."""
        return Response(self._urls(request.user, calendar_feed_generation(request.user)))

    @extend_schema(request=None, responses={200: CalendarFeedUrlSerializer})
    def post(self, request):
        """Rotate my calendar URLs: every feed URL I had (mine and my cohorts') stops working."""
        return Response(self._urls(request.user, calendar_feed_rotate(user=request.user)))

    def _urls(self, user, generation):
        return _feed_urls(
            route="api:me-calendar-feed",
            kwargs={},
            user=user,
            scope=LEARNER_SCOPE,
            generation=generation,
        )


class CohortCalendarView(APIView):
    @extend_schema(parameters=[ID], responses={200: CalendarFeedUrlSerializer})
    def get(self, request, pk):
        """The URL of this cohort's calendar feed, for its learners and the specialist teaching
        it. `POST me/calendar/` rotates it along with the caller's other feed URLs."""
        cohort = get_object_or_404(cohorts_with_sessions_for(request.user), pk=pk)
        return Response(
            _feed_urls(
                route="api:cohort-calendar-feed",
                kwargs={"pk": cohort.pk},
                user=request.user,
                scope=cohort_scope(cohort.pk),
                generation=calendar_feed_generation(request.user),
            )
        )


class CalendarFeedView(APIView):
    authentication_classes = []  # the token in the URL is the credential
    permission_classes = [AllowAny]
    # Calendar services fetch many people's feeds from a few addresses; a 256-bit token
    # cannot be guessed, so per-address throttling would only break subscriptions.
    throttle_classes = []
    renderer_classes = [ICalendarRenderer]
    problem_statuses = {"404"}

    def holder(self, request, scope):
        """The user the request's token stands for, or 404."""
        claim = calendar_feed_token_read(request.query_params.get("token", ""), scope=scope)
        holder = claim and calendar_feed_holder(user_id=claim[0], generation=claim[1])
        if not holder:
            raise NotFound("No calendar feed at this address.")
        return holder

    def feed(self, request, *, name, sessions):
        """The feed, or 304 when the client's copy (If-None-Match) is current. The ETag is
        the fingerprint of everything the text is made from, so a 304 renders nothing, and
        a rendered text is cached under it (a change makes a new key: never stale)."""
        sessions = list(sessions)
        fingerprint = calendar_feed_fingerprint(name=name, sessions=sessions)
        etag = f'"{fingerprint}"'
        if get_conditional_response(request, etag=etag) is not None:
            response = HttpResponseNotModified()
        else:
            body = cache.get_or_set(
                f"calendar-feed:{fingerprint}",
                lambda: calendar_feed_ics(name=name, sessions=sessions),
                FEED_CACHE_SECONDS,
            )
            response = Response(body, content_type="text/calendar; charset=utf-8")
        response["ETag"] = etag
        if sessions:
            last_change = max(session.updated_at for session in sessions)
            response["Last-Modified"] = http_date(last_change.timestamp())
        response["Cache-Control"] = "private, no-cache"
        return response


class LearnerCalendarFeedView(CalendarFeedView):
    @extend_schema(
        operation_id="me_calendar_feed", parameters=[FEED_TOKEN], responses=FEED_RESPONSES
    )
    def get(self, request):
        """My calendar feed: every session of the cohorts I learn in or teach. No personal
        data beyond the sessions themselves."""
        holder = self.holder(request, LEARNER_SCOPE)
        return self.feed(
            request,
            name=f"{settings.WAGTAIL_SITE_NAME}: my sessions",
            sessions=feed_sessions(my_calendar_cohorts(holder)),
        )


class CohortCalendarFeedView(CalendarFeedView):
    @extend_schema(
        operation_id="cohort_calendar_feed", parameters=[ID, FEED_TOKEN], responses=FEED_RESPONSES
    )
    def get(self, request, pk):
        """A cohort's calendar feed, while the token's holder still learns in or teaches it."""
        holder = self.holder(request, cohort_scope(pk))
        cohort = get_object_or_404(
            cohorts_with_sessions_for(holder).select_related("course"), pk=pk
        )
        return self.feed(
            request,
            name=f"{cohort.course.title} – {cohort.name}",
            sessions=feed_sessions([cohort]),
        )
