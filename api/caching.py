"""Shared caching and ETags for catalog reads.

Catalog responses are the same for every caller of a URL, so one cached copy serves all,
keyed on the catalog version (see coursepages.catalog) and the URL as the caller wrote it
(the host included, since answers hold absolute links). A change to the catalog
bumps the version: every cached copy and every ETag goes stale at once, and no
response is ever served stale. Hits, and 304s for a matching If-None-Match,
never reach the database.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control

from coursepages.catalog import catalog_version

CACHE_SECONDS = 60 * 60


def _etag(version, request):
    # The whole URL, host and scheme included: answers hold absolute links (pages, covers).
    digest = hashlib.blake2b(request.build_absolute_uri().encode(), digest_size=8).hexdigest()
    return f'W/"{version}-{digest}"'


def _headers(response, etag):
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True)
    return response


def cached_catalog_read(view):
    """Wrap a catalog view: ETag and If-None-Match on GET, shared cache of 200 answers."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = catalog_version()
        if version is None:  # the cache is down: no copy to share, nor a version to tag
            return view(request, *args, **kwargs)
        etag = _etag(version, request)
        if etag in request.headers.get("If-None-Match", ""):
            return _headers(HttpResponseNotModified(), etag)
        key = f"api:catalog:{etag}"
        body = cache.get(key)
        if body is not None:
            return _headers(HttpResponse(body, content_type="application/json"), etag)
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        response.render()
        cache.set(key, response.content, CACHE_SECONDS)
        return _headers(response, etag)

    return cached_view
