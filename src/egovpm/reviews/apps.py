from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "egovpm.reviews"
    label = "reviews"
    verbose_name = _("Expert reviews")

    def ready(self) -> None:
        from egovpm.documents.maintenance import register_blob_references
        from egovpm.reviews.models import Opinion

        # opinion attachments live in the document store: `egovpm storage check` must know them
        register_blob_references(
            "opinion attachment",
            lambda: Opinion.objects.exclude(attachment_sha256="").values_list("pk", "attachment_sha256").iterator(),
        )
        from egovpm.projects.facts import register_fact_provider
        from egovpm.reviews import views
        from egovpm.reviews.facts import review_facts
        from egovpm.web import registry

        register_fact_provider(review_facts)
        from egovpm.accounts.models import User
        from egovpm.core.roles import Role
        from egovpm.reviews import policies
        from egovpm.web.people import PeopleSource, register_people_source

        # the experts NDRC names for a panel: the active pool (web/_people_picker.html)
        register_people_source(
            "expert_pool",
            PeopleSource(
                users=lambda: User.objects.filter(is_active=True, expert_profile__active=True),
                may_choose=policies.may_organise,
                roles=(Role.EXPERT.value,),
            ),
        )
        registry.register_tab(
            registry.ProjectTab(
                "reviews",
                _("Expert review"),
                "web:project_reviews",
                "reviews/tab.html",
                40,
                scope="summary",
                rules=("C10.1", "C10.2"),
            )
        )
        registry.register_nav(
            registry.NavItem("reviews", _("Expert reviews"), "web:review_list", views.nav_visible, order=40)
        )
        registry.register_inbox(views.inbox_items)
