from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "egovpm.compliance"
    label = "compliance"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from egovpm.audit.services import register_change_listener
        from egovpm.compliance import generation, selectors, services
        from egovpm.compliance.stamp import records_stamp
        from egovpm.projects.facts import register_generation_source
        from egovpm.projects.filters import register_verdict_freshener
        from egovpm.projects.models import Project
        from egovpm.projects.stored import register_stored_compliance
        from egovpm.projects.views import register_badge_source
        from egovpm.web.inbox import register_records_stamp

        # every audited change of a project's records makes its stored verdict stale, in the same
        # transaction as the change (ADR 0013)
        register_change_listener(services.project_changed)
        # and every project has its row from the transaction that creates it (the invariant that
        # spares the reads a search for missing rows)
        post_save.connect(services.project_created, sender=Project, dispatch_uid="compliance.project_created")
        register_badge_source(selectors.list_badges)  # the project list reads the stored bad/warn
        register_verdict_freshener(selectors.ensure_fresh)  # before ?health= / ?rule= filter on them
        register_stored_compliance(selectors.stored_report)  # a project's compliance today (API)
        register_generation_source(generation.generation)  # the facts kept against it (the project page)
        # 待办's lists of the apps below compliance are kept under every record's stamp (ADR 0019)
        register_records_stamp(records_stamp)
