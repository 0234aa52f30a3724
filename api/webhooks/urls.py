from django.urls import path

from api.webhooks.views import (
    DeliveryRedeliverView,
    EndpointDeliveriesView,
    EndpointReplayView,
    EndpointRotateSecretView,
    EndpointsView,
    EndpointTestView,
    EndpointView,
    EventTypesView,
)

urlpatterns = [
    path("webhooks/endpoints/", EndpointsView.as_view(), name="webhook-endpoint-list"),
    path("webhooks/endpoints/<id:pk>/", EndpointView.as_view(), name="webhook-endpoint-detail"),
    path(
        "webhooks/endpoints/<id:pk>/rotate-secret/",
        EndpointRotateSecretView.as_view(),
        name="webhook-endpoint-rotate-secret",
    ),
    path(
        "webhooks/endpoints/<id:pk>/test/",
        EndpointTestView.as_view(),
        name="webhook-endpoint-test",
    ),
    path(
        "webhooks/endpoints/<id:pk>/deliveries/",
        EndpointDeliveriesView.as_view(),
        name="webhook-endpoint-deliveries",
    ),
    path(
        "webhooks/endpoints/<id:pk>/deliveries/<id:delivery>/redeliver/",
        DeliveryRedeliverView.as_view(),
        name="webhook-delivery-redeliver",
    ),
    path(
        "webhooks/endpoints/<id:pk>/replay/",
        EndpointReplayView.as_view(),
        name="webhook-endpoint-replay",
    ),
    path("webhooks/event-types/", EventTypesView.as_view(), name="webhook-event-types"),
]
