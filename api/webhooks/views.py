"""Outbound webhooks for integrators: endpoints (staff: the platform's; a specialist: their
own, for their courses' events), their deliveries and attempts, redelivery and replay, and
the catalog of event types. Endpoints the caller does not manage are 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import PageNumberPagination
from api.parameters import ID
from api.webhooks.serializers import (
    DeliverySerializer,
    EndpointChangeSerializer,
    EndpointInputSerializer,
    EndpointSerializer,
    EndpointWithSecretSerializer,
    EventTypeSerializer,
    ReplayInputSerializer,
    ReplaySerializer,
)
from integrations.event_types import EVENT_TYPES
from integrations.models import Delivery, DeliveryAttempt
from integrations.selectors import endpoints_managed_by, may_manage_webhooks
from integrations.services import (
    deliveries_replay,
    delivery_redeliver,
    endpoint_create,
    endpoint_ping,
    endpoint_rotate_secret,
    endpoint_update,
)

DELIVERY = OpenApiParameter("delivery", OpenApiTypes.INT, OpenApiParameter.PATH)


def _require_manager(user):
    if not may_manage_webhooks(user):
        raise PermissionDenied("Webhooks are for staff and specialists.")


def _endpoint(request, pk):
    _require_manager(request.user)
    return get_object_or_404(endpoints_managed_by(request.user), pk=pk)


def _deliveries_of(endpoint):
    return (
        Delivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("attempts_log", queryset=DeliveryAttempt.objects.order_by("-at", "-pk"))
        )
        .order_by("-created_at", "-pk")
    )


class EndpointsView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(responses={200: EndpointSerializer(many=True)})
    def get(self, request):
        """The endpoints I manage, newest first."""
        _require_manager(request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(endpoints_managed_by(request.user), request, self)
        return paginator.get_paginated_response(EndpointSerializer(page, many=True).data)

    @extend_schema(request=EndpointInputSerializer, responses={201: EndpointWithSecretSerializer})
    def post(self, request):
        """Add an endpoint. Staff add platform endpoints (every course's events); a
        specialist adds their own (their courses' events only). The answer holds the
        signing secret: it is shown this once."""
        _require_manager(request.user)
        data = EndpointInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = endpoint_create(
            by=request.user,
            specialist=None if request.user.is_staff else request.user,
            **data.validated_data,
        )
        return Response(EndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointView(APIView):
    @extend_schema(parameters=[ID], responses={200: EndpointSerializer})
    def get(self, request, pk):
        """One of my endpoints (without its secret)."""
        return Response(EndpointSerializer(_endpoint(request, pk)).data)

    @extend_schema(
        parameters=[ID], request=EndpointChangeSerializer, responses={200: EndpointSerializer}
    )
    def patch(self, request, pk):
        """Change the URL, description, event types, or enable/disable it."""
        endpoint = _endpoint(request, pk)
        data = EndpointChangeSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        endpoint = endpoint_update(endpoint=endpoint, **data.validated_data)
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(parameters=[ID], responses={204: None})
    def delete(self, request, pk):
        """Remove the endpoint with its delivery log."""
        _endpoint(request, pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointRotateSecretView(APIView):
    @extend_schema(parameters=[ID], request=None, responses={200: EndpointWithSecretSerializer})
    def post(self, request, pk):
        """A new signing secret, shown this once; the old one keeps signing alongside it for
        24 hours (two signatures in `webhook-signature`), so receivers can switch over."""
        endpoint = endpoint_rotate_secret(endpoint=_endpoint(request, pk))
        return Response(EndpointWithSecretSerializer(endpoint).data)


class EndpointTestView(APIView):
    @extend_schema(parameters=[ID], request=None, responses={202: DeliverySerializer})
    def post(self, request, pk):
        """Send a `webhook.test` event to this endpoint; its delivery shows how it went."""
        delivery = endpoint_ping(endpoint=_endpoint(request, pk))
        return Response(
            DeliverySerializer(_deliveries_of(delivery.endpoint_id).get(pk=delivery.pk)).data,
            status=status.HTTP_202_ACCEPTED,
        )


class EndpointDeliveriesView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(parameters=[ID], responses={200: DeliverySerializer(many=True)})
    def get(self, request, pk):
        """The endpoint's deliveries, newest first, each with its attempts."""
        endpoint = _endpoint(request, pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(_deliveries_of(endpoint), request, self)
        return paginator.get_paginated_response(DeliverySerializer(page, many=True).data)


class DeliveryRedeliverView(APIView):
    @extend_schema(parameters=[ID, DELIVERY], request=None, responses={202: DeliverySerializer})
    def post(self, request, pk, delivery):
        """Send this delivery again now, with the same `webhook-id`."""
        endpoint = _endpoint(request, pk)
        delivery = get_object_or_404(Delivery.objects.filter(endpoint=endpoint), pk=delivery)
        delivery_redeliver(delivery=delivery)
        return Response(
            DeliverySerializer(_deliveries_of(endpoint).get(pk=delivery.pk)).data,
            status=status.HTTP_202_ACCEPTED,
        )


class EndpointReplayView(APIView):
    @extend_schema(
        parameters=[ID], request=ReplayInputSerializer, responses={202: ReplaySerializer}
    )
    def post(self, request, pk):
        """Send again every delivery since `since` that has not succeeded (after an outage,
        or after enabling the endpoint again), each with its own `webhook-id`."""
        endpoint = _endpoint(request, pk)
        data = ReplayInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        replayed = deliveries_replay(endpoint=endpoint, **data.validated_data)
        return Response(
            ReplaySerializer({"replayed": replayed}).data, status=status.HTTP_202_ACCEPTED
        )


class EventTypesView(APIView):
    @extend_schema(responses={200: EventTypeSerializer(many=True)})
    def get(self, request):
        """Every event type we send, with the JSON Schema of its `data`. Each payload is
        `{"type", "timestamp", "data"}`, signed per Standard Webhooks."""
        _require_manager(request.user)
        return Response(EventTypeSerializer(EVENT_TYPES.values(), many=True).data)
