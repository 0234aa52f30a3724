from rest_framework import serializers


class DependencyStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "unavailable"])
    latency_ms = serializers.FloatField(required=False)
    detail = serializers.CharField(required=False)
    error = serializers.CharField(required=False)


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "degraded", "unavailable"])
    checks = serializers.DictField(child=DependencyStatusSerializer())
