"""Create the course catalog, the Specialists and Editors roles and the "Course review" workflow.

Wagtail's own first-run data gives a placeholder home page, a Moderators group and
a "Moderators approval" workflow on the whole tree. The catalog replaces the
placeholder as the site root, the Editors group becomes the moderators, and
course review replaces the generic workflow.
"""

from django.db import migrations

CATALOG_TITLE = "Courses"
WORKFLOW_NAME = "Course review"


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _page_permission(apps, codename):
    return _permission(apps, "wagtailcore", "page", f"{codename}_page", f"Can {codename} page")


def _create_catalog(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    CourseIndexPage = apps.get_model("coursepages", "CourseIndexPage")

    placeholder_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=placeholder_type, slug="home", depth=2, numchild=0).delete()

    root = Page.objects.get(depth=1)
    catalog_type, _ = ContentType.objects.get_or_create(
        app_label="coursepages", model="courseindexpage"
    )
    siblings = Page.objects.filter(depth=2).count()
    catalog = CourseIndexPage.objects.create(
        title=CATALOG_TITLE,
        draft_title=CATALOG_TITLE,
        slug="courses",
        content_type=catalog_type,
        path=f"{root.path}{siblings + 1:04d}",
        depth=2,
        numchild=0,
        url_path="/courses/",
        live=True,
        locale=Locale.objects.order_by("pk").first(),
    )
    root.numchild = siblings + 1
    root.save(update_fields=["numchild"])

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=catalog, is_default_site=True)
    else:
        site.root_page = catalog
        site.save(update_fields=["root_page"])
    return catalog


def _grant_page_permissions(apps, group, page, codenames):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(apps, codename)
        )


def _grant_media_permissions(apps, group, codenames):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.get(depth=1)
    for app_label, model, codename in codenames:
        permission = _permission(
            apps, app_label, model, codename, f"Can {codename.replace('_', ' ')}"
        )
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )


def _create_roles(apps, catalog):
    Group = apps.get_model("auth", "Group")
    access_admin = _permission(
        apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"
    )
    media = [
        ("wagtailimages", "image", "add_image"),
        ("wagtailimages", "image", "choose_image"),
        ("wagtaildocs", "document", "add_document"),
        ("wagtaildocs", "document", "choose_document"),
    ]

    specialists, _ = Group.objects.get_or_create(name="Specialists")
    specialists.permissions.add(access_admin)
    _grant_page_permissions(apps, specialists, catalog, ["add"])
    _grant_media_permissions(apps, specialists, media)

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        access_admin,
        _permission(
            apps,
            "coursepages",
            "coursepage",
            "assign_instructor",
            "Can assign a course to any instructor",
        ),
        *[
            _permission(
                apps,
                "coursepages",
                "coursecategory",
                f"{action}_coursecategory",
                f"Can {action} course category",
            )
            for action in ("add", "change", "delete", "view")
        ],
    )
    _grant_page_permissions(apps, editors, catalog, ["add", "change", "publish", "lock", "unlock"])
    _grant_media_permissions(
        apps,
        editors,
        media
        + [
            ("wagtailimages", "image", "change_image"),
            ("wagtaildocs", "document", "change_document"),
        ],
    )
    Group.objects.filter(name="Moderators").delete()
    return editors


def _create_review_workflow(apps, catalog, editors):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    CourseReadinessTask = apps.get_model("coursepages", "CourseReadinessTask")

    generic = Workflow.objects.filter(name="Moderators approval")
    GroupApprovalTask.objects.filter(name="Moderators approval").delete()
    generic.delete()

    readiness = CourseReadinessTask.objects.create(
        name="Course readiness check",
        content_type=ContentType.objects.get_or_create(
            app_label="coursepages", model="coursereadinesstask"
        )[0],
    )
    approval = GroupApprovalTask.objects.create(
        name="Editors approval",
        content_type=ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )[0],
    )
    approval.groups.add(editors)

    workflow = Workflow.objects.create(name=WORKFLOW_NAME)
    WorkflowTask.objects.create(workflow=workflow, task=readiness, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task=approval, sort_order=1)
    WorkflowPage.objects.create(workflow=workflow, page=catalog)


def forwards(apps, schema_editor):
    catalog = _create_catalog(apps)
    editors = _create_roles(apps, catalog)
    _create_review_workflow(apps, catalog, editors)


class Migration(migrations.Migration):
    dependencies = [
        ("coursepages", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
