"""The documents app's place in the UI (registered from DocumentsConfig.ready): the tab 文档 and
the labels of document categories and retention periods."""

from django.utils.translation import gettext_lazy as _

from egovpm.documents.choices import Category, Retention
from egovpm.web.registry import ProjectTab, register_labels, register_tab

register_labels("category", Category)
register_labels("retention", Retention)
register_tab(ProjectTab("documents", _("Documents"), "web:project_documents", "documents/tab.html", 3, scope="summary"))
