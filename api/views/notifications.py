from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import PageNumberPagination
from api.serializers.learning import NotificationSerializer, notification_data
from api.views.learning import ID
from learning.models import Notification


class NotificationParamsSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, help_text="true: unread only.")


class NotificationListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[NotificationParamsSerializer],
        responses={200: NotificationSerializer(many=True)},
    )
    def get(self, request):
        """My notifications, newest first."""
        params = NotificationParamsSerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        notifications = Notification.objects.filter(user=request.user)
        if params.validated_data.get("unread"):
            notifications = notifications.filter(read_at__isnull=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(notifications, request, self)
        return paginator.get_paginated_response([notification_data(n) for n in page])


class NotificationReadView(APIView):
    @extend_schema(parameters=[ID], request=None, responses={200: NotificationSerializer})
    def post(self, request, pk):
        """Mark a notification read; again is harmless."""
        notification = get_object_or_404(Notification, pk=pk, user=request.user)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(notification_data(notification))
