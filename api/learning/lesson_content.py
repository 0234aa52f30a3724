"""A lesson body as a learner may read it.

Built from the StreamField's raw JSON by allowlist: each block type names the
fields that leave the server, so nothing a specialist adds later (a correct
choice, an explanation) can leak by default. Images and documents are loaded
in one query each, renditions with them, whatever the lesson's length.
Documents and caption tracks are private: their URLs are signed links made by
`document_token(document_id)` (see learning/downloads.py), never Wagtail's own.
"""

from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import expand_db_html

from coursepages.languages import text_direction

IMAGE_SPEC = "max-1200x1200"


def _items(list_value):
    """ListBlock items in raw JSON, each with its stable id."""
    return [(item["id"], item["value"]) for item in list_value or []]


def _video_provider(url):
    host = url.split("/")[2].lower() if "//" in url else ""
    if host.endswith(("youtube.com", "youtu.be")):
        return "youtube"
    if host.endswith("vimeo.com"):
        return "vimeo"
    return "file"


class LessonBodyRenderer:
    def __init__(self, raw_blocks, request, document_token):
        self.raw = raw_blocks
        self.request = request
        self.document_token = document_token
        image_ids = {
            b["value"]["image"]
            for b in raw_blocks
            if b["type"] == "image" and b["value"].get("image")
        }
        document_ids = {
            b["value"]["document"]
            for b in raw_blocks
            if b["type"] == "document" and b["value"].get("document")
        }
        document_ids |= {
            track["value"]["file"]
            for b in raw_blocks
            if b["type"] == "video"
            for track in b["value"].get("captions") or []
            if track["value"].get("file")
        }
        self.images = (
            {
                image.pk: image
                for image in get_image_model()
                .objects.filter(pk__in=image_ids)
                .prefetch_renditions(IMAGE_SPEC)
            }
            if image_ids
            else {}
        )
        self.documents = get_document_model().objects.in_bulk(document_ids) if document_ids else {}

    def url(self, path):
        return self.request.build_absolute_uri(path)

    def document_url(self, document):
        return self.url(reverse("api:file-download", args=[self.document_token(document.pk)]))

    def render(self):
        blocks = []
        for block in self.raw:
            render = getattr(self, f"_{block['type']}", None)
            value = render(block["value"]) if render else None
            if value is not None:
                blocks.append({"type": block["type"], "id": block["id"], "value": value})
        return blocks

    def _paragraph(self, html):
        return {"html": expand_db_html(html)}

    def _image(self, value):
        image = self.images.get(value.get("image"))
        if image is None:
            return None
        rendition = image.get_rendition(IMAGE_SPEC)
        decorative = bool(value.get("decorative"))
        return {
            "url": self.url(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": "" if decorative else (value.get("alt_text") or image.default_alt_text),
            "decorative": decorative,
        }

    def _document(self, value):
        document = self.documents.get(value.get("document"))
        if document is None:
            return None
        return {
            "title": value.get("title") or document.title,
            "description": value.get("description", ""),
            "url": self.document_url(document),
            "file_extension": document.file_extension,
        }

    def _video(self, value):
        captions = []
        for track_id, track in _items(value.get("captions")):
            document = self.documents.get(track.get("file"))
            if document is not None:
                captions.append(
                    {
                        "id": track_id,
                        "language": track["language"],
                        "direction": text_direction(track["language"]),
                        "label": track.get("label") or track["language"],
                        "url": self.document_url(document),
                    }
                )
        return {
            "url": value["url"],
            "provider": _video_provider(value["url"]),
            "title": value.get("title", ""),
            "captions": captions,
            "transcript": value.get("transcript", ""),
        }

    def _link(self, value):
        return {
            "url": value["url"],
            "title": value["title"],
            "description": value.get("description", ""),
        }

    def _quiz(self, value):
        return {
            "title": value["title"],
            "pass_mark": value["pass_mark"],
            "attempts_allowed": value["attempts_allowed"],
            "questions": [
                {
                    "id": question_id,
                    "kind": question["kind"],
                    "prompt": question["prompt"],
                    "points": question["points"],
                    "choices": [
                        {"id": choice_id, "text": choice["text"]}
                        for choice_id, choice in _items(question.get("choices"))
                    ],
                }
                for question_id, question in _items(value.get("questions"))
            ],
        }

    def _assignment(self, value):
        return {
            "title": value["title"],
            "instructions": expand_db_html(value.get("instructions", "")),
            "submission_kinds": value.get("submission_kinds", []),
            "pass_mark": value["pass_mark"],
            "rubric": [
                {
                    "id": criterion_id,
                    "title": criterion["title"],
                    "description": criterion.get("description", ""),
                    "max_points": criterion["max_points"],
                }
                for criterion_id, criterion in _items(value.get("rubric"))
            ],
        }
