from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "egovpm.documents"
    label = "documents"

    def ready(self) -> None:
        from egovpm.documents.facts import document_facts_batch
        from egovpm.projects.facts import register_fact_provider

        register_fact_provider(document_facts_batch)
        from egovpm.documents import web  # noqa: F401 — registers the tab 文档
