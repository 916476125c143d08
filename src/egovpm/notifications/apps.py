from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "egovpm.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from egovpm.audit.services import register_event_listener
        from egovpm.notifications import handoffs, listeners
        from egovpm.web import registry

        # the notices a change sends, made inside its transaction (ADR 0017)
        register_event_listener(listeners.on_audit_event)
        # hand-offs (issue 15 item 2): NDRC's 组织专家组, 已办 from the audit trail, who acts next
        registry.register_inbox(handoffs.panel_inbox)
        registry.register_inbox_section(handoffs.done_section)
        registry.register_waiting(handoffs.waiting_lines)
